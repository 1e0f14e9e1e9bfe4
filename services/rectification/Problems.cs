using Microsoft.AspNetCore.Http.HttpResults;

namespace Xuncha.Rectification;

/// <summary>The RFC 9457 answers every feature gives, so the titles and types read the same across the service.</summary>
public static class Problems
{
    public static ProblemHttpResult NotFound(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status404NotFound, title: "记录不存在");

    public static ProblemHttpResult Conflict(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status409Conflict, title: "当前状态不允许此操作");

    public static ValidationProblem Invalid(IDictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(errors, title: "请求参数有误");

    public static ValidationProblem Invalid(string field, string message) => Invalid(new Dictionary<string, string[]> { [field] = [message] });

    /// <summary>422: a rectification rule refused the change; <paramref name="rule"/> names it.</summary>
    public static ProblemHttpResult RuleViolated(string rule, string title, string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status422UnprocessableEntity, title: title,
            type: "https://xuncha.example/problems/rectification-rule", extensions: new Dictionary<string, object?> { ["rule"] = rule });
}

/// <summary>Collects field errors for one request; empty means valid.</summary>
public sealed class FieldErrors : Dictionary<string, string[]>
{
    public FieldErrors Text(string field, string? value, int max, bool required = true)
    {
        if (required && string.IsNullOrWhiteSpace(value)) this[field] = ["required"];
        else if (value is { } v && v.Length > max) this[field] = [$"at most {max} characters"];
        else if (value is { } s && s.Any(c => char.IsControl(c) && c is not '\n' and not '\r' and not '\t')) this[field] = ["control characters are not allowed"];
        return this;
    }

    public FieldErrors Check(bool ok, string field, string message)
    {
        if (!ok) this[field] = [message];
        return this;
    }
}
