using Microsoft.EntityFrameworkCore;
using Xuncha.AuditLinkage.Datasets;
using Xuncha.AuditLinkage.Deployment;
using Xuncha.AuditLinkage.Problems;
using Xuncha.AuditLinkage.Rounds;
using Xuncha.AuditLinkage.Rules;
using Xuncha.AuditLinkage.Runs;
using Xuncha.ServiceDefaults.Data;

namespace Xuncha.AuditLinkage.Data;

public sealed class AuditDb(DbContextOptions<AuditDb> options) : DbContext(options)
{
    public DbSet<RoundView> Rounds => Set<RoundView>();
    public DbSet<GroupView> Groups => Set<GroupView>();
    public DbSet<DatasetVersion> DatasetVersions => Set<DatasetVersion>();
    public DbSet<ImportError> ImportErrors => Set<ImportError>();
    public DbSet<RuleVersion> Rules => Set<RuleVersion>();
    public DbSet<ComparisonRun> Runs => Set<ComparisonRun>();
    public DbSet<ComparisonHitRow> Hits => Set<ComparisonHitRow>();
    public DbSet<JointDeployment> Deployments => Set<JointDeployment>();
    public DbSet<Consultation> Consultations => Set<Consultation>();
    public DbSet<DataRequest> DataRequests => Set<DataRequest>();
    public DbSet<SharedProblem> Problems => Set<SharedProblem>();

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.AddPlatformTables();
        model.Entity<RoundView>(e =>
        {
            e.ToTable("rounds");
            e.Property(x => x.Id).ValueGeneratedNever();
            e.Property(x => x.Jurisdiction).HasMaxLength(100);
            e.Property(x => x.Name).HasMaxLength(200);
            e.Json(x => x.Targets);
        });
        model.Entity<GroupView>(e =>
        {
            e.ToTable("groups");
            e.Property(x => x.Id).ValueGeneratedNever();
            e.Property(x => x.Name).HasMaxLength(200);
            e.HasIndex(x => x.RoundId);
            e.HasIndex(x => x.MemberSubjects).HasMethod("gin");
            e.Json(x => x.Members);
        });
        model.Entity<DatasetVersion>(e =>
        {
            e.ToTable("dataset_versions");
            e.Property(x => x.Kind).HasMaxLength(50);
            e.Property(x => x.Status).HasConversion<string>().HasMaxLength(20);
            e.Property(x => x.Format).HasMaxLength(10);
            e.Property(x => x.FileName).HasMaxLength(300);
            e.Property(x => x.ImportedBy).HasMaxLength(200);
            e.Property(x => x.Failure).HasMaxLength(2000);
            e.HasIndex(x => new { x.RoundId, x.Kind, x.Number }).IsUnique();
        });
        model.Entity<ImportError>(e =>
        {
            e.ToTable("import_errors");
            e.Property(x => x.Id).UseIdentityAlwaysColumn();
            e.Property(x => x.Column).HasMaxLength(100);
            e.Property(x => x.Message).HasMaxLength(500);
            e.HasIndex(x => new { x.VersionId, x.Line });
        });
        model.Entity<RuleVersion>(e =>
        {
            e.ToTable("rule_versions");
            e.HasKey(x => new { x.Code, x.Version });
            e.Property(x => x.Code).HasMaxLength(100);
            e.Property(x => x.Name).HasMaxLength(200);
            e.Property(x => x.Reason).HasMaxLength(1000);
            e.Property(x => x.CreatedBy).HasMaxLength(200);
            e.Json(x => x.Definition);
        });
        model.Entity<ComparisonRun>(e =>
        {
            e.ToTable("comparison_runs");
            e.Property(x => x.RanBy).HasMaxLength(200);
            e.HasIndex(x => new { x.RoundId, x.TargetId });
            e.Json(x => x.Rules);
            e.Json(x => x.Datasets);
        });
        model.Entity<ComparisonHitRow>(e =>
        {
            e.ToTable("comparison_hits");
            e.Property(x => x.RuleCode).HasMaxLength(100);
            e.Property(x => x.Evidence).HasColumnType("json");
            e.Property(x => x.Amount).HasPrecision(18, 2);
            e.HasKey(x => new { x.RunId, x.Id }); // hits are only ever read by run: one index for both, one less to fill per hit
        });
        model.Entity<JointDeployment>(e =>
        {
            e.ToTable("joint_deployments");
            e.HasIndex(x => new { x.RoundId, x.TargetId }).IsUnique();
            e.Json(x => x.AuditTeam);
            e.Json(x => x.Liaisons);
            e.Property(x => x.Version).IsRowVersion();
        });
        model.Entity<Consultation>(e =>
        {
            e.ToTable("consultations");
            e.HasIndex(x => new { x.DeploymentId, x.WeekOf }).IsUnique();
            e.Json(x => x.Attendees);
            e.Json(x => x.Decisions);
        });
        model.Entity<DataRequest>(e =>
        {
            e.ToTable("data_requests");
            e.Property(x => x.Item).HasMaxLength(300);
            e.Property(x => x.ItemKey).HasMaxLength(300);
            e.HasIndex(x => new { x.DeploymentId, x.ItemKey }).IsUnique();
            e.Property(x => x.Status).HasConversion<string>().HasMaxLength(20);
            e.Json(x => x.RequestedBy);
            e.Property(x => x.Version).IsRowVersion();
        });
        model.Entity<SharedProblem>(e =>
        {
            e.ToTable("shared_problems");
            e.HasIndex(x => new { x.RoundId, x.TargetId });
            e.Property(x => x.Origin).HasConversion<string>().HasMaxLength(20);
            e.Property(x => x.Title).HasMaxLength(300);
            e.Property(x => x.Amount).HasPrecision(18, 2);
            e.Property(x => x.Version).IsRowVersion();
        });
        SnakeCaseColumns(model);
    }

    /// <summary>Raw SQL (COPY, compiled rules) reads these tables too, so their columns get plain snake_case names.</summary>
    private static void SnakeCaseColumns(ModelBuilder model)
    {
        foreach (var property in model.Model.GetEntityTypes().SelectMany(t => t.GetProperties()))
        {
            if (property.IsConcurrencyToken && property.Name == "Version") continue; // xmin
            property.SetColumnName(string.Concat(property.Name.Select((c, i) => i > 0 && char.IsUpper(c) ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString())));
        }
    }
}
