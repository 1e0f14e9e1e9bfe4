using Microsoft.EntityFrameworkCore;
using Xuncha.ServiceDefaults.Audit;
using Xuncha.ServiceDefaults.Messaging;

namespace Xuncha.ServiceDefaults.Data;

/// <summary>The tables every service database has besides its own: outbox, inbox and audit trail.</summary>
public static class PlatformTables
{
    public static ModelBuilder AddPlatformTables(this ModelBuilder model)
    {
        model.Entity<OutboxMessage>(e =>
        {
            e.ToTable("outbox_messages");
            e.HasKey(x => x.Sequence);
            e.Property(x => x.Sequence).HasColumnName("sequence").UseIdentityAlwaysColumn();
            e.Property(x => x.MessageId).HasColumnName("message_id");
            e.HasIndex(x => x.MessageId).IsUnique();
            e.Property(x => x.MessageType).HasColumnName("message_type").HasMaxLength(400);
            e.Property(x => x.Payload).HasColumnName("payload").HasColumnType("jsonb");
            e.Property(x => x.TraceParent).HasColumnName("traceparent").HasMaxLength(128);
            e.Property(x => x.CreatedAt).HasColumnName("created_at");
            e.Property(x => x.SentAt).HasColumnName("sent_at");
            e.Property(x => x.Attempts).HasColumnName("attempts");
            e.Property(x => x.NextAttemptAt).HasColumnName("next_attempt_at");
            e.Property(x => x.LastError).HasColumnName("last_error").HasMaxLength(2000);
            // The relay only ever scans unsent rows.
            e.HasIndex(x => x.NextAttemptAt).HasFilter("sent_at IS NULL").HasDatabaseName("ix_outbox_unsent");
        });
        model.Entity<InboxMessage>(e =>
        {
            e.ToTable("inbox_messages");
            e.HasKey(x => new { x.MessageId, x.Consumer });
            e.Property(x => x.MessageId).HasColumnName("message_id");
            e.Property(x => x.Consumer).HasColumnName("consumer").HasMaxLength(200);
            e.Property(x => x.ProcessedAt).HasColumnName("processed_at");
        });
        model.Entity<AuditEntry>(e =>
        {
            e.ToTable("audit_entries");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasColumnName("id").UseIdentityAlwaysColumn();
            e.Property(x => x.At).HasColumnName("at");
            e.Property(x => x.Actor).HasColumnName("actor").HasMaxLength(200);
            e.Property(x => x.ActorName).HasColumnName("actor_name").HasMaxLength(200);
            e.Property(x => x.Action).HasColumnName("action").HasMaxLength(100);
            e.Property(x => x.EntityType).HasColumnName("entity_type").HasMaxLength(100);
            e.Property(x => x.EntityId).HasColumnName("entity_id").HasMaxLength(100);
            e.Property(x => x.Before).HasColumnName("before").HasColumnType("jsonb");
            e.Property(x => x.After).HasColumnName("after").HasColumnType("jsonb");
            e.Property(x => x.Reason).HasColumnName("reason").HasMaxLength(2000);
            e.Property(x => x.ClientAddress).HasColumnName("client_address").HasMaxLength(64);
            e.Property(x => x.TraceId).HasColumnName("trace_id").HasMaxLength(32);
            e.HasIndex(x => new { x.EntityType, x.EntityId });
        });
        return model;
    }

    /// <summary>Audit rows can be added, never changed or removed — enforced by the database, not by good intentions.</summary>
    internal const string AppendOnlyAuditSql = """
        CREATE OR REPLACE FUNCTION audit_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'audit_entries is append-only'; END $$;
        CREATE OR REPLACE TRIGGER audit_entries_append_only BEFORE UPDATE OR DELETE ON audit_entries
            FOR EACH ROW EXECUTE FUNCTION audit_entries_append_only();
        """;
}
