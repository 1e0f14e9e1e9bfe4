using Xuncha.Fieldwork.Activities;
using Xuncha.Fieldwork.Announcements;
using Xuncha.Fieldwork.Documents;
using Xuncha.Fieldwork.Intake;
using Xuncha.Fieldwork.Papers;
using Xuncha.Fieldwork.Reports;
using Xuncha.Fieldwork.Suggestions;
using Xuncha.Fieldwork.Tasks;
using Xuncha.Fieldwork.Workspaces;

namespace Xuncha.Fieldwork;

public static class FieldworkSetup
{
    public static IHostApplicationBuilder AddFieldwork(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ReporterVault>();
        builder.Services.AddSingleton<IntakeLinks>();
        builder.Services.AddSingleton<AttachmentPolicy>();
        builder.Services.AddMemoryCache();
        builder.Services.AddIntakeRateLimits(builder.Configuration);
        return builder;
    }

    public static WebApplication MapFieldwork(this WebApplication app)
    {
        app.UseRateLimiter();
        app.MapPublicIntake();
        var workspaces = app.MapWorkspaces();
        workspaces.MapAnnouncements();
        workspaces.MapPetitions();
        workspaces.MapPapers();
        workspaces.MapDispositions();
        workspaces.MapSuggestions();
        workspaces.MapActivities();
        workspaces.MapTasks();
        workspaces.MapReports();
        workspaces.MapDocuments();
        return app;
    }
}
