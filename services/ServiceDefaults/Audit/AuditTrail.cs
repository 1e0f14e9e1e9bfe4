using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;

namespace Xuncha.ServiceDefaults.Audit;

/// <summary>One append-only audit row: who did what to which record, from where, in which trace.</summary>
public sealed class AuditEntry
{
    public long Id { get; private set; }
    public DateTimeOffset At { get; init; }
    public required string Actor { get; init; }
    public string? ActorName { get; init; }
    public required string Action { get; init; }
    public required string EntityType { get; init; }
    public required string EntityId { get; init; }
    public string? Before { get; init; }
    public string? After { get; init; }
    public string? Reason { get; init; }
    public string? ClientAddress { get; init; }
    public string? TraceId { get; init; }
}

/// <summary>
/// Adds audit rows to the caller's DbContext, so they commit (or roll back) with the change they describe.
/// Reads — of clues, reporters' identities — are recorded the same way.
/// </summary>
public sealed class AuditTrail(IHttpContextAccessor http)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public AuditEntry Record(DbContext db, string action, string entityType, string entityId, object? before = null, object? after = null, string? reason = null)
    {
        var context = http.HttpContext;
        var user = context?.User;
        var entry = new AuditEntry
        {
            At = DateTimeOffset.UtcNow,
            Actor = user?.FindFirst("sub")?.Value ?? user?.FindFirst("client_id")?.Value ?? "system",
            ActorName = user?.FindFirst("name")?.Value,
            Action = action,
            EntityType = entityType,
            EntityId = entityId,
            Before = before is null ? null : JsonSerializer.Serialize(before, before.GetType(), Json),
            After = after is null ? null : JsonSerializer.Serialize(after, after.GetType(), Json),
            Reason = reason,
            ClientAddress = context?.Connection.RemoteIpAddress?.ToString(),
            TraceId = Activity.Current?.TraceId.ToString(),
        };
        db.Set<AuditEntry>().Add(entry);
        return entry;
    }
}
