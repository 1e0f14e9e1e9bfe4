using Microsoft.AspNetCore.Http.HttpResults;
using Xuncha.Clues.Handling;

namespace Xuncha.Clues;

/// <summary>The service's ProblemDetails answers, so every feature words them the same way.</summary>
public static class Problems
{
    /// <summary>Missing and not-yours look the same: a clue's existence is itself need-to-know.</summary>
    public static ProblemHttpResult NotFound(string what, object id) =>
        TypedResults.Problem($"No {what} '{id}' that you may see.", statusCode: StatusCodes.Status404NotFound, title: "未找到");

    public static ProblemHttpResult Rule(RuleViolation violation) =>
        TypedResults.Problem(violation.Detail, statusCode: StatusCodes.Status422UnprocessableEntity, title: "不符合业务规则",
            type: "https://xuncha.example/problems/" + violation.Rule, extensions: new Dictionary<string, object?> { ["rule"] = violation.Rule });

    public static ProblemHttpResult Conflict(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status409Conflict, title: "冲突");

    public static ProblemHttpResult Forbidden(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status403Forbidden, title: "无权执行此操作");
}

/// <summary>Collects field errors the attributes cannot express (list items, enum values); a 400 naming each field.</summary>
public sealed class FieldErrors
{
    private readonly Dictionary<string, List<string>> errors = [];

    public FieldErrors Check(bool ok, string field, string message)
    {
        if (!ok)
        {
            (errors.TryGetValue(field, out var list) ? list : errors[field] = []).Add(message);
        }
        return this;
    }

    public FieldErrors Defined<T>(T? value, string field) where T : struct, Enum =>
        Check(value is null || Enum.IsDefined(value.Value), field, $"Unknown value; expected one of: {string.Join(", ", Enum.GetValues<T>().Select(v => Registry.Terms.Code(v)))}.");

    public FieldErrors Items(IReadOnlyList<string>? items, string field, int maxItems, int maxLength)
    {
        Check(items is null || items.Count <= maxItems, field, $"At most {maxItems} items.");
        for (var i = 0; items is not null && i < items.Count && i < maxItems; i++)
        {
            Check(!string.IsNullOrWhiteSpace(items[i]) && items[i].Length <= maxLength, $"{field}[{i}]", $"Each item is 1–{maxLength} characters.");
        }
        return this;
    }

    public ValidationProblem? Problem => errors.Count == 0 ? null : TypedResults.ValidationProblem(errors.ToDictionary(e => e.Key, e => e.Value.ToArray()));
}
