using Microsoft.AspNetCore.Identity;

namespace Xuncha.Identity.Users;

/// <summary>A person who signs in: staff of an agency in a jurisdiction.</summary>
public sealed class PlatformUser : IdentityUser
{
    public string DisplayName { get; set; } = "";
    public string Jurisdiction { get; set; } = "";
    public string Agency { get; set; } = "";
    public bool Disabled { get; set; }
}

/// <summary>A node of the jurisdiction tree (市 → 县/区 → 乡镇/街道 → 村/社区); ids are stable strings.</summary>
public sealed class Jurisdiction
{
    public required string Id { get; init; }
    public string? ParentId { get; init; }
    public required string Name { get; set; }
}
