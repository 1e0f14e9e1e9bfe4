using System.Text;
using Microsoft.EntityFrameworkCore;
using Xuncha.Planning.Classification;
using Xuncha.Planning.Jurisdictions;
using Xuncha.Planning.Progress;
using Xuncha.Planning.Rounds;
using Xuncha.Planning.Standards;
using Xuncha.Planning.Targets;
using Xuncha.Planning.Terms;
using Xuncha.ServiceDefaults.Data;

namespace Xuncha.Planning.Data;

public sealed class PlanningDb(DbContextOptions<PlanningDb> options) : DbContext(options)
{
    public DbSet<Jurisdiction> Jurisdictions => Set<Jurisdiction>();
    public DbSet<Target> Targets => Set<Target>();
    public DbSet<ClassificationRuleSet> RuleSets => Set<ClassificationRuleSet>();
    public DbSet<Term> Terms => Set<Term>();
    public DbSet<Round> Rounds => Set<Round>();
    public DbSet<RoundTarget> RoundTargets => Set<RoundTarget>();
    public DbSet<InspectionGroup> Groups => Set<InspectionGroup>();
    public DbSet<StandardVersion> StandardVersions => Set<StandardVersion>();
    public DbSet<StandardItem> StandardItems => Set<StandardItem>();

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.ApplyConfigurationsFromAssembly(typeof(PlanningDb).Assembly);
        // Our own tables get snake_case columns so the hand-written coverage and import SQL reads naturally.
        foreach (var entity in model.Model.GetEntityTypes())
        {
            foreach (var property in entity.GetProperties())
            {
                // Row versions stay on PostgreSQL's xmin system column (named by the provider later).
                if (property.IsConcurrencyToken && property.ClrType == typeof(uint)) continue;
                if (property.GetColumnName() is { } name && name.Any(char.IsUpper))
                {
                    property.SetColumnName(SnakeCase(name));
                }
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
