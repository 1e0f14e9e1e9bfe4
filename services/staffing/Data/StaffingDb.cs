using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Xuncha.Staffing.Avoidance;
using Xuncha.Staffing.Cadres;
using Xuncha.Staffing.Cards;
using Xuncha.Staffing.Evaluations;
using Xuncha.Staffing.Groups;
using Xuncha.Staffing.Rounds;
using Xuncha.ServiceDefaults.Data;

namespace Xuncha.Staffing.Data;

public sealed class StaffingDb(DbContextOptions<StaffingDb> options) : DbContext(options)
{
    public DbSet<Cadre> Cadres => Set<Cadre>();
    public DbSet<StaffingPolicy> Policies => Set<StaffingPolicy>();
    public DbSet<Round> Rounds => Set<Round>();
    public DbSet<InspectionGroup> Groups => Set<InspectionGroup>();
    public DbSet<ResponsibilityCard> Cards => Set<ResponsibilityCard>();
    public DbSet<FieldworkFact> FieldworkFacts => Set<FieldworkFact>();
    public DbSet<Evaluation> Evaluations => Set<Evaluation>();
    public DbSet<TwoWayEvaluation> TwoWayEvaluations => Set<TwoWayEvaluation>();

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.AddPlatformTables();
        model.Entity<Cadre>(e =>
        {
            e.ToTable("cadres");
            e.Property(x => x.Name).HasMaxLength(100);
            e.Property(x => x.IdentityHash).HasMaxLength(64);
            e.HasIndex(x => x.IdentityHash).IsUnique();
            e.Property(x => x.CurrentUnitCode).HasMaxLength(100);
            e.Property(x => x.CurrentUnitName).HasMaxLength(200);
            e.Property(x => x.AccountSubject).HasMaxLength(200);
            e.HasIndex(x => x.AccountSubject);
            e.Property(x => x.Employment).HasConversion<string>().HasMaxLength(20);
            e.Property(x => x.Grade).HasConversion<string>().HasMaxLength(20);
            e.Json(x => x.FormerUnits);
            e.Json(x => x.Relatives);
            e.Json(x => x.Availability);
            e.Json(x => x.Services);
            e.Ignore(x => x.HomeJurisdiction);
            e.Ignore(x => x.IsNewcomer);
            e.Property(x => x.Version).IsRowVersion();
        });
        model.Entity<StaffingPolicy>(e =>
        {
            e.ToTable("policies");
            e.HasKey(x => x.Jurisdiction);
            e.Property(x => x.Jurisdiction).HasMaxLength(100);
            e.Property(x => x.Version).IsRowVersion();
        });
        model.Entity<Round>(e =>
        {
            e.ToTable("rounds");
            e.Property(x => x.Id).ValueGeneratedNever();
            e.Property(x => x.Jurisdiction).HasMaxLength(100);
            e.Property(x => x.Name).HasMaxLength(200);
            e.Json(x => x.Targets);
        });
        model.Entity<InspectionGroup>(e =>
        {
            e.ToTable("groups");
            e.Property(x => x.Jurisdiction).HasMaxLength(100);
            e.Property(x => x.Name).HasMaxLength(200);
            e.Property(x => x.Status).HasConversion<string>().HasMaxLength(20);
            e.HasIndex(x => new { x.RoundId, x.ClusterKey });
            e.Json(x => x.Members);
            e.Json(x => x.Explanation);
            e.Property(x => x.Version).IsRowVersion();
        });
        model.Entity<ResponsibilityCard>(e =>
        {
            e.ToTable("responsibility_cards");
            e.HasKey(x => new { x.GroupId, x.CadreId });
            e.Property(x => x.Post).HasMaxLength(50);
            e.Json(x => x.Duties);
            e.Json(x => x.Standards);
            e.Json(x => x.Accountability);
            e.Property(x => x.PledgeText).HasMaxLength(2000);
            e.Property(x => x.Version).IsRowVersion();
        });
        model.Entity<FieldworkFact>(e =>
        {
            e.ToTable("fieldwork_facts");
            e.HasKey(x => new { x.GroupId, x.TargetId, x.CadreId });
        });
        model.Entity<Evaluation>(e =>
        {
            e.ToTable("evaluations");
            e.HasKey(x => new { x.GroupId, x.CadreId });
            e.Property(x => x.Recommendation).HasMaxLength(200);
            e.Property(x => x.DisciplineNotes).HasMaxLength(2000);
            e.Property(x => x.Version).IsRowVersion();
        });
        model.Entity<TwoWayEvaluation>(e =>
        {
            e.ToTable("two_way_evaluations");
            e.HasKey(x => new { x.GroupId, x.Direction });
            e.Property(x => x.Direction).HasConversion<string>().HasMaxLength(20);
            e.Property(x => x.Comments).HasMaxLength(2000);
        });
    }
}
