using Xuncha.AuditLinkage;
using Xuncha.AuditLinkage.Data;
using Xuncha.AuditLinkage.Rounds;
using Xuncha.ServiceDefaults;
using Xuncha.ServiceDefaults.Data;
using Xuncha.ServiceDefaults.Messaging;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("audit");
builder.AddServiceDatabase<AuditDb>(ConnectionNames.Audit);
builder.AddEventBus<AuditDb>("audit", x =>
{
    x.AddConsumer<RoundLaunchedConsumer>();
    x.AddConsumer<GroupFormedConsumer>();
    x.AddConsumer<GroupChangedConsumer>();
});
builder.AddAuditLinkage();
builder.Services.AddValidation();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapAuditLinkage();
return await app.RunServiceAsync<AuditDb>(args, AuditLinkageSetup.PrepareAsync);

public partial class Program;
