using Xuncha.Rectification;
using Xuncha.Rectification.Cases;
using Xuncha.Rectification.Data;
using Xuncha.Rectification.Demo;
using Xuncha.ServiceDefaults;
using Xuncha.ServiceDefaults.Data;
using Xuncha.ServiceDefaults.Messaging;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("rectification");
builder.AddServiceDatabase<RectificationDb>(ConnectionNames.Rectification);
builder.AddEventBus<RectificationDb>("rectification", x =>
{
    x.AddConsumer<FeedbackDeliveredConsumer>();
    x.AddConsumer<ImmediateRectificationRequestedConsumer>();
    x.AddConsumer<ClueReturnedAsProblemConsumer>();
});
builder.AddRectification();
builder.Services.AddValidation();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapRectification();
return await app.RunServiceAsync<RectificationDb>(args, DemoSeed.RunAsync);

public partial class Program;
