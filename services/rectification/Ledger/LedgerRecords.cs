namespace Xuncha.Rectification.Ledger;

/// <summary>A weekly ledger update (台账周更新) on one task.</summary>
public sealed class TaskUpdate
{
    public Guid Id { get; init; }
    public Guid TaskId { get; init; }
    public string Progress { get; init; } = "";
    public int PercentComplete { get; init; }
    public DateTimeOffset At { get; init; }
    public string By { get; init; } = "";
}

/// <summary>An evidence attachment for closure (销号佐证材料); the bytes live with the record so closure and proof commit together.</summary>
public sealed class Evidence
{
    public Guid Id { get; init; }
    public Guid TaskId { get; init; }
    public string FileName { get; init; } = "";
    public string ContentType { get; init; } = "";
    public long Size { get; init; }
    public string Sha256 { get; init; } = "";
    public byte[] Content { get; init; } = [];
    public DateTimeOffset UploadedAt { get; init; }
    public string By { get; init; } = "";
}
