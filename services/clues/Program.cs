using Xuncha.Clues;
using Xuncha.Clues.Access;
using Xuncha.Clues.Data;
using Xuncha.Clues.Demo;
using Xuncha.Clues.Registry;
using Xuncha.Clues.Rounds;
using Xuncha.ServiceDefaults;
using Xuncha.ServiceDefaults.Data;
using Xuncha.ServiceDefaults.Messaging;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("clues");
builder.AddServiceDatabase<CluesDb>(ConnectionNames.Clues);
builder.AddEventBus<CluesDb>("clues", x =>
{
    x.AddConsumer<ClueRaisedConsumer>();
    x.AddConsumer<GroupFormedConsumer>();
    x.AddConsumer<GroupChangedConsumer>();
    x.AddConsumer<RoundLaunchedConsumer>();
});
builder.AddClues();
builder.Services.AddValidation();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapClues();
return await app.RunServiceAsync<CluesDb>(args, DemoSeed.RunAsync);

public partial class Program;
