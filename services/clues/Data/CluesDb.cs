using Microsoft.EntityFrameworkCore;
using Xuncha.Clues.Access;
using Xuncha.Clues.Assessment;
using Xuncha.Clues.Commission;
using Xuncha.Clues.Reconciliation;
using Xuncha.Clues.Registry;
using Xuncha.Clues.Rounds;
using Xuncha.Clues.Transfers;
using Xuncha.ServiceDefaults.Audit;
using Xuncha.ServiceDefaults.Data;

namespace Xuncha.Clues.Data;

public sealed class CluesDb(DbContextOptions<CluesDb> options) : DbContext(options)
{
    public DbSet<Clue> Clues => Set<Clue>();
    public DbSet<ClueStatusChange> StatusChanges => Set<ClueStatusChange>();
    public DbSet<InspectionGroup> Groups => Set<InspectionGroup>();
    public DbSet<RoundInfo> Rounds => Set<RoundInfo>();
    public DbSet<AssessmentMeeting> Meetings => Set<AssessmentMeeting>();
    public DbSet<AssessmentDecision> Decisions => Set<AssessmentDecision>();
    public DbSet<TransferLetter> Letters => Set<TransferLetter>();
    public DbSet<Counter> Counters => Set<Counter>();
    public DbSet<CommissionReport> CommissionReports => Set<CommissionReport>();
    public DbSet<ReconciliationQuarter> Quarters => Set<ReconciliationQuarter>();
    public DbSet<ReconciliationLine> ReconciliationLines => Set<ReconciliationLine>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.AddPlatformTables();
        model.Entity<Clue>(e =>
        {
            e.ToTable("clues");
            e.HasKey(x => x.Id);
            e.Property(x => x.TargetName).HasMaxLength(200);
            e.Property(x => x.Jurisdiction).HasMaxLength(100);
            e.Property(x => x.Summary).HasMaxLength(4000);
            e.Property(x => x.RegisteredBy).HasMaxLength(200);
            e.Property(x => x.HoldReason).HasMaxLength(1000);
            e.Property(x => x.CommissionReference).HasMaxLength(100);
            e.Property(x => x.Category).HasConversion<string>().HasMaxLength(40);
            e.Property(x => x.Source).HasConversion<string>().HasMaxLength(40);
            e.Property(x => x.Sensitivity).HasConversion<string>().HasMaxLength(40);
            e.Property(x => x.Status).HasConversion<string>().HasMaxLength(40);
            e.Property(x => x.Destination).HasConversion<string>().HasMaxLength(40);
            e.Property(x => x.FundsRecovered).HasPrecision(18, 2);
            e.Property(x => x.Version).IsRowVersion();
            e.Ignore(x => x.Outcome);
            e.HasIndex(x => x.CommissionReference).IsUnique();
            e.HasIndex(x => x.RoundId);
            e.HasIndex(x => x.JurisdictionPath).HasMethod("gin");
            e.HasIndex(x => x.OwnerPath).HasMethod("gin");
            e.HasMany(x => x.History).WithOne().HasForeignKey(h => h.ClueId);
        });
        model.Entity<ClueStatusChange>(e =>
        {
            e.ToTable("clue_status_changes");
            e.Property(x => x.From).HasConversion<string>().HasMaxLength(40);
            e.Property(x => x.To).HasConversion<string>().HasMaxLength(40);
            e.Property(x => x.By).HasMaxLength(200);
            e.Property(x => x.Reason).HasMaxLength(1000);
            e.Property(x => x.CommissionReference).HasMaxLength(100);
        });
        model.Entity<InspectionGroup>(e =>
        {
            e.ToTable("inspection_groups");
            e.HasKey(x => x.GroupId);
            e.Property(x => x.Jurisdiction).HasMaxLength(100);
            e.HasIndex(x => x.RoundId);
        });
        model.Entity<RoundInfo>(e =>
        {
            e.ToTable("rounds");
            e.HasKey(x => x.RoundId);
            e.Property(x => x.Jurisdiction).HasMaxLength(100);
            e.Property(x => x.Name).HasMaxLength(200);
            e.HasIndex(x => x.TermId);
        });
        model.Entity<AssessmentMeeting>(e =>
        {
            e.ToTable("assessment_meetings");
            e.Property(x => x.Jurisdiction).HasMaxLength(100);
            e.Property(x => x.Title).HasMaxLength(200);
            e.Property(x => x.RecordedBy).HasMaxLength(200);
            e.HasMany(x => x.Decisions).WithOne().HasForeignKey(d => d.MeetingId);
        });
        model.Entity<AssessmentDecision>(e =>
        {
            e.ToTable("assessment_decisions");
            e.Property(x => x.Disposition).HasConversion<string>().HasMaxLength(40);
            e.Property(x => x.Destination).HasConversion<string>().HasMaxLength(40);
            e.Property(x => x.ReceivingOffice).HasMaxLength(200);
            e.Property(x => x.Reason).HasMaxLength(1000);
            e.HasIndex(x => x.ClueId);
        });
        model.Entity<TransferLetter>(e =>
        {
            e.ToTable("transfer_letters");
            e.Property(x => x.Number).HasMaxLength(100);
            e.Property(x => x.Jurisdiction).HasMaxLength(100);
            e.Property(x => x.ReceivingOffice).HasMaxLength(200);
            e.Property(x => x.IssuedBy).HasMaxLength(200);
            e.Property(x => x.Destination).HasConversion<string>().HasMaxLength(40);
            e.HasIndex(x => x.Number).IsUnique();
            e.HasIndex(x => new { x.Jurisdiction, x.Year, x.Sequence }).IsUnique();
            e.HasIndex(x => x.FeedPosition).IsUnique();
            e.HasIndex(x => x.ClueId).IsUnique();
        });
        model.Entity<Counter>(e =>
        {
            e.ToTable("counters");
            e.HasKey(x => x.Key);
            e.Property(x => x.Key).HasColumnName("key").HasMaxLength(200);
            e.Property(x => x.Value).HasColumnName("value");
        });
        model.Entity<CommissionReport>(e =>
        {
            e.ToTable("commission_reports");
            e.Property(x => x.CommissionReference).HasMaxLength(100);
            e.Property(x => x.Status).HasConversion<string>().HasMaxLength(40);
            e.Property(x => x.ContentHash).HasMaxLength(64);
            e.Property(x => x.ReportedBy).HasMaxLength(200);
            e.HasIndex(x => new { x.CommissionReference, x.Status }).IsUnique();
        });
        model.Entity<ReconciliationQuarter>(e =>
        {
            e.ToTable("reconciliation_quarters");
            e.Property(x => x.Jurisdiction).HasMaxLength(100);
            e.Property(x => x.OpenedBy).HasMaxLength(200);
            e.Property(x => x.ClosedBy).HasMaxLength(200);
            e.Property(x => x.State).HasConversion<string>().HasMaxLength(20);
            e.Property(x => x.Version).IsRowVersion();
            e.Ignore(x => x.EndsOn);
            e.HasIndex(x => new { x.Jurisdiction, x.Year, x.Quarter }).IsUnique();
            e.HasMany(x => x.Lines).WithOne().HasForeignKey(l => l.QuarterId);
        });
        model.Entity<ReconciliationLine>(e =>
        {
            e.ToTable("reconciliation_lines");
            e.Property(x => x.LetterNumber).HasMaxLength(100);
            e.Property(x => x.LedgerStatus).HasConversion<string>().HasMaxLength(40);
            e.Property(x => x.OfficeStatus).HasConversion<string>().HasMaxLength(40);
            e.Property(x => x.CommissionStatus).HasConversion<string>().HasMaxLength(40);
            e.Property(x => x.OfficeConfirmedBy).HasMaxLength(200);
            e.Property(x => x.CommissionConfirmedBy).HasMaxLength(200);
            e.Ignore(x => x.Matched);
            e.HasIndex(x => new { x.QuarterId, x.ClueId }).IsUnique();
        });
    }
}
