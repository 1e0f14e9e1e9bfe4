namespace Xuncha.ServiceDefaults.Authorization;

/// <summary>Role names carried in the "roles" claim (DOMAIN.md → Actors). One list, so no service spells them differently.</summary>
public static class PlatformRoles
{
    public const string LeadingGroup = "leading-group";                 // 巡察工作领导小组
    public const string OfficeCoordinator = "office-coordinator";       // 巡察办统筹协调岗
    public const string RectificationSupervisor = "rectification-supervisor"; // 整改督导岗
    public const string ClueOfficer = "clue-officer";                   // 线索管理岗
    public const string GroupLeader = "group-leader";                   // 巡察组组长
    public const string DeputyLeader = "deputy-leader";                 // 副组长
    public const string GroupMember = "group-member";                   // 组员
    public const string CommissionCaseOfficer = "commission-case-officer"; // 纪委监委案件监督管理室
    public const string AuditOfficer = "audit-officer";                 // 审计局
    public const string OrganisationDepartment = "organisation-department"; // 组织部
    public const string UnitResponsible = "unit-responsible";           // 被巡察单位责任人
    public const string UnitLiaison = "unit-liaison";                   // 整改联络员
    public const string PlatformAdmin = "platform-admin";               // 平台管理员

    public static readonly IReadOnlyList<string> All =
    [
        LeadingGroup, OfficeCoordinator, RectificationSupervisor, ClueOfficer, GroupLeader, DeputyLeader, GroupMember,
        CommissionCaseOfficer, AuditOfficer, OrganisationDepartment, UnitResponsible, UnitLiaison, PlatformAdmin,
    ];
}
