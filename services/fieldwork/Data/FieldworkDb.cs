using System.Text;
using Microsoft.EntityFrameworkCore;
using Xuncha.Fieldwork.Activities;
using Xuncha.Fieldwork.Announcements;
using Xuncha.Fieldwork.Intake;
using Xuncha.Fieldwork.Papers;
using Xuncha.Fieldwork.Reports;
using Xuncha.Fieldwork.Suggestions;
using Xuncha.Fieldwork.Tasks;
using Xuncha.Fieldwork.Workspaces;
using Xuncha.ServiceDefaults.Data;

namespace Xuncha.Fieldwork.Data;

public sealed class FieldworkDb(DbContextOptions<FieldworkDb> options) : DbContext(options)
{
    public DbSet<InspectionGroup> Groups => Set<InspectionGroup>();
    public DbSet<Workspace> Workspaces => Set<Workspace>();
    public DbSet<RoundTargetInfo> RoundTargets => Set<RoundTargetInfo>();
    public DbSet<Announcement> Announcements => Set<Announcement>();
    public DbSet<Petition> Petitions => Set<Petition>();
    public DbSet<WorkingPaper> Papers => Set<WorkingPaper>();
    public DbSet<ImmediateRectificationItem> ImmediateItems => Set<ImmediateRectificationItem>();
    public DbSet<SuggestedProblem> Suggestions => Set<SuggestedProblem>();
    public DbSet<FieldActivity> Activities => Set<FieldActivity>();
    public DbSet<TaskItem> Tasks => Set<TaskItem>();
    public DbSet<InspectionReport> Reports => Set<InspectionReport>();
    public DbSet<FeedbackRecord> Feedback => Set<FeedbackRecord>();

    protected override void OnModelCreating(ModelBuilder model)
    {
        InspectionGroup.Configure(model);
        Workspace.Configure(model);
        RoundTargetInfo.Configure(model);
        Announcement.Configure(model);
        Petition.Configure(model);
        WorkingPaper.Configure(model);
        ImmediateRectificationItem.Configure(model);
        SuggestedProblem.Configure(model);
        FieldActivity.Configure(model);
        TaskItem.Configure(model);
        InspectionReport.Configure(model);
        FeedbackRecord.Configure(model);
        // snake_case columns for our own tables, so hand-written SQL (membership, bench counts) reads naturally.
        foreach (var entity in model.Model.GetEntityTypes())
        {
            foreach (var property in entity.GetProperties())
            {
                if (property.IsConcurrencyToken && property.ClrType == typeof(uint)) continue; // xmin
                if (property.GetColumnName() is { } name && name.Any(char.IsUpper)) property.SetColumnName(SnakeCase(name));
            }
            foreach (var complex in entity.GetComplexProperties())
            {
                if (complex.ComplexType.GetContainerColumnName() is { } name && name.Any(char.IsUpper)) complex.ComplexType.SetContainerColumnName(SnakeCase(name));
            }
        }
        model.AddPlatformTables();
    }

    private static string SnakeCase(string name)
    {
        var sb = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0) sb.Append('_');
            sb.Append(char.ToLowerInvariant(name[i]));
        }
        return sb.ToString();
    }
}
