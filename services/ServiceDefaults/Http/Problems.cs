using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Xuncha.ServiceDefaults.Http;

/// <summary>The RFC 9457 answers every service gives, worded the same everywhere: 400 naming fields, 403, 404, 409, 422 naming the rule.</summary>
public static class Problems
{
    /// <summary>Missing and not-yours look the same: whether a record exists is itself need-to-know.</summary>
    public static ProblemHttpResult NotFound(string what, object id) =>
        NotFound($"No {what} '{id}' that you may see.");

    public static ProblemHttpResult NotFound(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status404NotFound, title: "记录不存在 Not found");

    public static ProblemHttpResult Forbidden(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status403Forbidden, title: "无权执行此操作 Forbidden");

    /// <summary>409: the record changed since it was read (stale version), or the state no longer allows the operation.</summary>
    public static ProblemHttpResult Conflict(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status409Conflict, title: "冲突 Conflict");

    /// <summary>422: well formed, but a domain rule refuses it; <paramref name="rule"/> names the rule (also in the type URI).</summary>
    public static ProblemHttpResult RuleViolated(string rule, string detail, string title = "不符合业务规则 Rule violated") =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status422UnprocessableEntity, title: title,
            type: "https://xuncha.example/problems/" + rule, extensions: new Dictionary<string, object?> { ["rule"] = rule });

    public static ValidationProblem Invalid(string field, string message) =>
        Invalid(new Dictionary<string, string[]> { [field] = [message] });

    public static ValidationProblem Invalid(IDictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(errors, title: "请求参数有误 Invalid input");
}

/// <summary>Collects the field errors DataAnnotations cannot express (list items, control characters); empty means valid.</summary>
public sealed class FieldErrors : Dictionary<string, string[]>
{
    public FieldErrors Check(bool ok, string field, string message)
    {
        if (!ok) this[field] = TryGetValue(field, out var existing) ? [.. existing, message] : [message];
        return this;
    }

    /// <summary>Required (unless optional), at most <paramref name="max"/> characters, no control characters but line breaks and tabs.</summary>
    public FieldErrors Text(string field, string? value, int max, bool required = true)
    {
        if (string.IsNullOrWhiteSpace(value)) return Check(!required, field, "required");
        Check(value.Length <= max, field, $"at most {max} characters");
        return Check(!value.Any(c => char.IsControl(c) && c is not '\n' and not '\r' and not '\t'), field, "control characters are not allowed");
    }

    public FieldErrors Items(IReadOnlyList<string>? items, string field, int maxItems, int maxLength)
    {
        Check(items is null || items.Count <= maxItems, field, $"at most {maxItems} items");
        for (var i = 0; items is not null && i < items.Count && i < maxItems; i++)
        {
            Text($"{field}[{i}]", items[i], maxLength);
        }
        return this;
    }

    /// <summary>An enum value that binding accepted as a number but the enum does not define; <paramref name="name"/> spells the allowed values.</summary>
    public FieldErrors Defined<T>(T? value, string field, Func<T, string>? name = null) where T : struct, Enum =>
        Check(value is null || Enum.IsDefined(value.Value), field,
            $"Unknown value; expected one of: {string.Join(", ", Enum.GetValues<T>().Select(v => name?.Invoke(v) ?? v.ToString()))}.");

    public ValidationProblem? Problem => Count == 0 ? null : Problems.Invalid(this);
}
