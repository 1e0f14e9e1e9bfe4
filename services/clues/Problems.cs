using Microsoft.AspNetCore.Http.HttpResults;
using Xuncha.Clues.Handling;
using Xuncha.ServiceDefaults.Http;

namespace Xuncha.Clues;

/// <summary>The clue rules' violations as the platform's 422 answer (ServiceDefaults' Problems names the rule).</summary>
public static class RuleProblems
{
    public static ProblemHttpResult Problem(this RuleViolation violation) => Problems.RuleViolated(violation.Rule, violation.Detail);

    /// <summary>Enum values spelled as the API spells them (kebab-case codes).</summary>
    public static FieldErrors DefinedTerm<T>(this FieldErrors errors, T? value, string field) where T : struct, Enum =>
        errors.Defined(value, field, v => Registry.Terms.Code(v));
}
