namespace Xuncha.Staffing.Cards;

/// <summary>巡察责任卡: one member's post in one group, drawn from the post template when the group is confirmed, and the integrity pledge (廉洁承诺).</summary>
public sealed class ResponsibilityCard
{
    public Guid GroupId { get; init; }
    public Guid CadreId { get; init; }
    public string CadreName { get; set; } = "";
    public string GroupName { get; set; } = "";
    public string Role { get; set; } = "";
    public string Post { get; set; } = "";
    public string PostTitle { get; set; } = "";
    public List<string> Duties { get; set; } = [];
    public List<string> Standards { get; set; } = [];
    public List<string> Accountability { get; set; } = [];
    /// <summary>The member no longer holds the seat (a later adjustment removed them); kept for the record.</summary>
    public bool Revoked { get; set; }
    public DateTimeOffset IssuedAt { get; set; }
    public DateTimeOffset? PledgedAt { get; set; }
    public string? PledgeText { get; set; }
    public uint Version { get; set; }

    public const string PledgeWording =
        "本人郑重承诺：严守政治纪律和政治规矩，严格执行中央八项规定精神，严守巡察工作纪律和保密规定；"
        + "不接受被巡察单位宴请、礼品礼金，不干预被巡察单位正常工作，不泄露巡察工作秘密；如有违反，自愿接受组织处理。";
}
