using Xuncha.ServiceDefaults;
using Xuncha.ServiceDefaults.Data;
using Xuncha.ServiceDefaults.Messaging;
using Xuncha.Staffing;
using Xuncha.Staffing.Data;
using Xuncha.Staffing.Evaluations;
using Xuncha.Staffing.Rounds;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("staffing");
builder.AddServiceDatabase<StaffingDb>(ConnectionNames.Staffing);
builder.AddEventBus<StaffingDb>("staffing", x =>
{
    x.AddConsumer<RoundLaunchedConsumer>();
    x.AddConsumer<FieldworkCompletedConsumer>();
});
builder.AddStaffing();
builder.Services.AddValidation();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapStaffing();
return await app.RunServiceAsync<StaffingDb>(args, StaffingSetup.PrepareAsync);

public partial class Program;
