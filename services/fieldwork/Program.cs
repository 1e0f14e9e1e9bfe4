using Xuncha.Fieldwork;
using Xuncha.Fieldwork.Data;
using Xuncha.Fieldwork.Suggestions;
using Xuncha.Fieldwork.Workspaces;
using Xuncha.ServiceDefaults;
using Xuncha.ServiceDefaults.Data;
using Xuncha.ServiceDefaults.Messaging;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("fieldwork");
builder.AddServiceDatabase<FieldworkDb>(ConnectionNames.Fieldwork);
builder.AddEventBus<FieldworkDb>("fieldwork", x =>
{
    x.AddConsumer<GroupFormedConsumer>();
    x.AddConsumer<GroupChangedConsumer>();
    x.AddConsumer<RoundLaunchedConsumer>();
    x.AddConsumer<AuditFindingSharedConsumer>();
    x.AddConsumer<ComparisonHitsFoundConsumer>();
});
builder.AddFieldwork();
builder.Services.AddValidation();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapFieldwork();
return await app.RunServiceAsync<FieldworkDb>(args);

public partial class Program;
