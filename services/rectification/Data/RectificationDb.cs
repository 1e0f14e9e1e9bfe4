using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Xuncha.Rectification.Cases;
using Xuncha.Rectification.Escalation;
using Xuncha.Rectification.Evaluation;
using Xuncha.Rectification.FollowUps;
using Xuncha.Rectification.Ledger;
using Xuncha.Rectification.Plans;
using Xuncha.ServiceDefaults.Data;

namespace Xuncha.Rectification.Data;

public sealed class RectificationDb(DbContextOptions<RectificationDb> options) : DbContext(options)
{
    public DbSet<RectificationCase> Cases => Set<RectificationCase>();
    public DbSet<CaseProblem> Problems => Set<CaseProblem>();
    public DbSet<RectificationTask> Tasks => Set<RectificationTask>();
    public DbSet<TaskUpdate> Updates => Set<TaskUpdate>();
    public DbSet<Evidence> Evidence => Set<Evidence>();
    public DbSet<EscalationNotice> Notices => Set<EscalationNotice>();
    public DbSet<Interview> Interviews => Set<Interview>();
    public DbSet<FollowUp> FollowUps => Set<FollowUp>();
    public DbSet<CaseEvaluation> Evaluations => Set<CaseEvaluation>();
    public DbSet<SatisfactionSurvey> Surveys => Set<SatisfactionSurvey>();

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.AddPlatformTables();
        model.Entity<RectificationCase>(e =>
        {
            e.ToTable("cases");
            e.Property(x => x.Id).ValueGeneratedNever();
            e.HasIndex(x => new { x.RoundId, x.TargetId }).IsUnique();
            e.Property(x => x.TargetCode).HasMaxLength(100);
            e.Property(x => x.TargetName).HasMaxLength(200);
            e.Property(x => x.Jurisdiction).HasMaxLength(100);
            e.Property(x => x.PlanStatus).HasConversion<string>().HasMaxLength(20);
            e.Property(x => x.PlanComments).HasMaxLength(2000);
            e.Ignore(x => x.UnitJurisdiction);
            e.HasMany(x => x.Problems).WithOne().HasForeignKey(p => p.CaseId);
            e.Property(x => x.Version).IsRowVersion();
        });
        model.Entity<CaseProblem>(e =>
        {
            e.ToTable("problems");
            e.Property(x => x.Id).ValueGeneratedNever();
            e.HasIndex(x => new { x.CaseId, x.Source, x.SourceId }).IsUnique();
            e.Property(x => x.Source).HasConversion<string>().HasMaxLength(30);
            e.Property(x => x.Title).HasMaxLength(500);
            e.Property(x => x.Facts).HasMaxLength(8000);
            e.Property(x => x.Suggestion).HasMaxLength(4000);
            e.Json(x => x.Exclusions);
        });
        model.Entity<RectificationTask>(e =>
        {
            e.ToTable("tasks");
            e.Property(x => x.Id).ValueGeneratedNever();
            e.HasIndex(x => x.CaseId);
            e.Property(x => x.Measures).HasMaxLength(4000);
            e.Property(x => x.FirstResponsible).HasMaxLength(100);
            e.Property(x => x.Responsible).HasMaxLength(100);
            e.Property(x => x.Liaison).HasMaxLength(100);
            e.Property(x => x.Term).HasConversion<string>().HasMaxLength(20);
            e.Property(x => x.Status).HasConversion<string>().HasMaxLength(20);
            e.Property(x => x.Level).HasConversion<string>().HasMaxLength(20);
            e.Property(x => x.ClosureSummary).HasMaxLength(4000);
            e.Property(x => x.ReviewComments).HasMaxLength(2000);
            e.Ignore(x => x.IsOpen);
            e.Property(x => x.Version).IsRowVersion();
        });
        model.Entity<TaskUpdate>(e =>
        {
            e.ToTable("task_updates");
            e.Property(x => x.Id).ValueGeneratedNever();
            e.HasIndex(x => x.TaskId);
            e.Property(x => x.Progress).HasMaxLength(4000);
            e.Property(x => x.By).HasMaxLength(200);
        });
        model.Entity<Evidence>(e =>
        {
            e.ToTable("evidence");
            e.Property(x => x.Id).ValueGeneratedNever();
            e.HasIndex(x => x.TaskId);
            e.Property(x => x.FileName).HasMaxLength(255);
            e.Property(x => x.ContentType).HasMaxLength(100);
            e.Property(x => x.Sha256).HasMaxLength(64);
            e.Property(x => x.By).HasMaxLength(200);
        });
        model.Entity<EscalationNotice>(e =>
        {
            e.ToTable("escalation_notices");
            e.Property(x => x.Id).ValueGeneratedNever();
            // The ladder's guarantee, kept by the database: a step is issued at most once per task.
            e.HasIndex(x => new { x.TaskId, x.Step }).IsUnique();
            e.HasIndex(x => x.CaseId);
            e.Property(x => x.Step).HasConversion<string>().HasMaxLength(30);
        });
        model.Entity<Interview>(e =>
        {
            e.ToTable("interviews");
            e.Property(x => x.Id).ValueGeneratedNever();
            // One recommendation per situation per case: repeated scans or events do not multiply interviews.
            e.HasIndex(x => new { x.CaseId, x.Situation }).IsUnique();
            e.Property(x => x.Situation).HasConversion<string>().HasMaxLength(30);
            e.Property(x => x.Detail).HasMaxLength(1000);
            e.Property(x => x.Interviewer).HasMaxLength(200);
            e.Property(x => x.Interviewee).HasMaxLength(200);
            e.Json(x => x.Commitments);
            e.Json(x => x.LinkedTaskIds);
            e.Property(x => x.Version).IsRowVersion();
        });
        model.Entity<FollowUp>(e =>
        {
            e.ToTable("follow_ups");
            e.Property(x => x.Id).ValueGeneratedNever();
            e.HasIndex(x => x.CaseId);
            e.HasIndex(x => new { x.TaskId, x.Sequence }).IsUnique();
            e.Property(x => x.Kind).HasConversion<string>().HasMaxLength(30);
            e.Property(x => x.Outcome).HasConversion<string>().HasMaxLength(20);
            e.Property(x => x.Findings).HasMaxLength(4000);
            e.Property(x => x.RecordedBy).HasMaxLength(200);
            e.Property(x => x.Version).IsRowVersion();
        });
        model.Entity<CaseEvaluation>(e =>
        {
            e.ToTable("evaluations");
            e.Property(x => x.Id).ValueGeneratedNever();
            e.HasIndex(x => x.CaseId).IsUnique();
            e.Json(x => x.Scores);
            e.Json(x => x.Areas);
            e.Property(x => x.Grade).HasConversion<string>().HasMaxLength(20);
            e.Property(x => x.EvaluatedBy).HasMaxLength(200);
        });
        model.Entity<SatisfactionSurvey>(e =>
        {
            e.ToTable("surveys");
            e.Property(x => x.Id).ValueGeneratedNever();
            e.HasIndex(x => x.CaseId).IsUnique();
            e.HasIndex(x => x.Token).IsUnique();
            e.Property(x => x.Token).HasMaxLength(64);
            e.Ignore(x => x.Responses);
            e.Ignore(x => x.Rate);
        });
    }
}
