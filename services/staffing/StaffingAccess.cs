using Microsoft.AspNetCore.Http.HttpResults;
using Xuncha.ServiceDefaults.Authorization;
using Xuncha.Staffing.Formation;

namespace Xuncha.Staffing;

/// <summary>Who may do what in staffing, and the multi-rule 422 group formation answers with.</summary>
public static class StaffingAccess
{
    /// <summary>The talent pool is seen only by the inspection office and the organisation department.</summary>
    public static readonly string[] PoolRoles = [PlatformRoles.OfficeCoordinator, PlatformRoles.OrganisationDepartment];

    /// <summary>Groups are formed, adjusted and confirmed by the office.</summary>
    public static readonly string[] OfficeRoles = [PlatformRoles.OfficeCoordinator];

    /// <summary>422: a domain rule refused the change; every violation names its rule.</summary>
    public static ProblemHttpResult RulesViolated(string title, IReadOnlyList<RuleViolation> violations) =>
        TypedResults.Problem(
            string.Join("；", violations.Select(v => $"[{v.Rule}] {v.Detail}")),
            statusCode: StatusCodes.Status422UnprocessableEntity,
            title: title,
            type: "https://xuncha.example/problems/staffing-rule",
            extensions: new Dictionary<string, object?> { ["violations"] = violations, ["rules"] = violations.Select(v => v.Rule).Distinct().ToList() });
}
