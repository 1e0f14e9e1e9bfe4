namespace Xuncha.Fieldwork.Common;

/// <summary>
/// 422 for fieldwork's rules, with the fields that failed under "errors" (the quality gate lists every missing
/// element). The other answers come from ServiceDefaults' Problems.
/// </summary>
internal static class RuleProblems
{
    public static IResult Rule(string title, string detail, IDictionary<string, string[]>? errors = null, IDictionary<string, object?>? extensions = null)
    {
        var ext = new Dictionary<string, object?>(extensions ?? new Dictionary<string, object?>());
        if (errors is not null) ext["errors"] = errors;
        return Results.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: title, detail: detail, extensions: ext);
    }
}
