using Xuncha.Rectification.Cases;
using Xuncha.Rectification.Disclosure;
using Xuncha.Rectification.Documents;
using Xuncha.Rectification.Escalation;
using Xuncha.Rectification.Evaluation;
using Xuncha.Rectification.FollowUps;
using Xuncha.Rectification.Ledger;
using Xuncha.Rectification.Plans;

namespace Xuncha.Rectification;

public static class RectificationSetup
{
    public static IHostApplicationBuilder AddRectification(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<RectificationOptions>(builder.Configuration.GetSection("Rectification"));
        var model = builder.Configuration.GetSection("Rectification:Evaluation");
        // The configured indicator model when one is given, the default 22-indicator model otherwise.
        builder.Services.AddSingleton(model.GetSection("Areas").Exists() ? model.Get<IndicatorModel>()! : IndicatorModel.Default);
        builder.Services.AddScoped<InterviewRecommender>();
        builder.Services.AddScoped<EscalationScanner>();
        builder.Services.AddHostedService<EscalationWorker>();
        return builder;
    }

    public static WebApplication MapRectification(this WebApplication app)
    {
        app.MapCases();
        app.MapPlans();
        app.MapLedger();
        app.MapClosure();
        app.MapInterviews();
        app.MapFollowUps();
        app.MapEvaluations();
        app.MapSurveys();
        app.MapDisclosure();
        app.MapDocuments();
        return app;
    }
}
