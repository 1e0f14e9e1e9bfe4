using Xuncha.Planning.Classification;
using Xuncha.Planning.Coverage;
using Xuncha.Planning.Data;
using Xuncha.Planning.Jurisdictions;
using Xuncha.Planning.Progress;
using Xuncha.Planning.Rounds;
using Xuncha.Planning.Standards;
using Xuncha.Planning.Statistics;
using Xuncha.Planning.Targets;
using Xuncha.Planning.Terms;
using Xuncha.ServiceDefaults;
using Xuncha.ServiceDefaults.Data;
using Xuncha.ServiceDefaults.Messaging;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("planning");
builder.AddServiceDatabase<PlanningDb>(ConnectionNames.Planning);
builder.AddEventBus<PlanningDb>("planning", x =>
{
    x.AddConsumer<GroupFormedConsumer>();
    x.AddConsumer<GroupChangedConsumer>();
    x.AddConsumer<FieldworkCompletedConsumer>();
    x.AddConsumer<RectificationEvaluatedConsumer>();
});
builder.AddReadCache();
builder.Services.AddValidation();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapJurisdictions();
app.MapTargets();
app.MapClassification();
app.MapTerms();
app.MapRounds();
app.MapCoverage();
app.MapStandards();
app.MapStatistics();
return await app.RunServiceAsync<PlanningDb>(args, PlanningSetup.PrepareAsync);

public partial class Program;
