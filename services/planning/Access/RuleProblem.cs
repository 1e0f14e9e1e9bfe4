using Microsoft.AspNetCore.Http.HttpResults;
using Xuncha.ServiceDefaults.Http;

namespace Xuncha.Planning.Access;

/// <summary>The platform's 422 answer with what this service adds to it (the offending rows, conflicts, allowed moves).</summary>
public static class RuleProblem
{
    public static ProblemHttpResult Of(string rule, string detail, IDictionary<string, object?>? extensions = null)
    {
        var result = Problems.RuleViolated(rule, detail);
        foreach (var (key, value) in extensions ?? new Dictionary<string, object?>()) result.ProblemDetails.Extensions[key] = value;
        return result;
    }
}
