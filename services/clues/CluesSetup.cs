using Xuncha.Clues.Access;
using Xuncha.Clues.Assessment;
using Xuncha.Clues.Commission;
using Xuncha.Clues.Deadlines;
using Xuncha.Clues.Handling;
using Xuncha.Clues.Reconciliation;
using Xuncha.Clues.Registry;
using Xuncha.Clues.Statistics;
using Xuncha.Clues.Transfers;

namespace Xuncha.Clues;

public static class CluesSetup
{
    public static IHostApplicationBuilder AddClues(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<TransferOptions>(builder.Configuration.GetSection("Clues"));
        builder.Services.AddScoped<ClueAccess>();
        builder.Services.AddScoped<ClueLedger>();
        builder.Services.AddSingleton<DeadlineSweep>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<DeadlineSweep>());
        return builder;
    }

    public static WebApplication MapClues(this WebApplication app)
    {
        app.MapReadLog();
        app.MapOverdue();
        app.MapClueRegistry();
        app.MapAssessments();
        app.MapTransferLetters();
        app.MapHandling();
        app.MapCommission();
        app.MapReconciliation();
        app.MapStatistics();
        return app;
    }
}
