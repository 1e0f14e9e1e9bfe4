using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Xuncha.Rectification.Escalation;
using Xuncha.ServiceDefaults.Audit;

namespace Xuncha.Rectification.Tests;

public sealed class InterviewSituationTests
{
    private static InterviewRecommender With(params string[] situations) =>
        new(Options.Create(new RectificationOptions { Interview = new InterviewOptions { Situations = situations } }), new AuditTrail(new HttpContextAccessor()));

    [Fact]
    public void By_default_every_situation_leads_to_an_interview()
    {
        var recommender = new InterviewRecommender(Options.Create(new RectificationOptions()), new AuditTrail(new HttpContextAccessor()));
        Assert.All(Enum.GetValues<InterviewSituation>(), s => Assert.True(recommender.Enabled(s), s.ToString()));
    }

    [Fact]
    public void Configuration_replaces_the_default_list_rather_than_adding_to_it()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Interview:Situations:0"] = "FalseRectification" }).Build();
        var options = new RectificationOptions();
        configuration.Bind(options);
        var recommender = new InterviewRecommender(Options.Create(options), new AuditTrail(new HttpContextAccessor()));
        Assert.True(recommender.Enabled(InterviewSituation.FalseRectification));
        Assert.False(recommender.Enabled(InterviewSituation.OverdueBeyondLimit));
    }

    [Fact]
    public void Only_the_configured_situations_lead_to_an_interview()
    {
        var recommender = With("FalseRectification", "poorevaluation");
        Assert.True(recommender.Enabled(InterviewSituation.FalseRectification));
        Assert.True(recommender.Enabled(InterviewSituation.PoorEvaluation));
        Assert.False(recommender.Enabled(InterviewSituation.OverdueBeyondLimit));
        Assert.False(recommender.Enabled(InterviewSituation.ReboundAfterClosure));
    }
}
