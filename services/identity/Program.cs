using Xuncha.Identity;
using Xuncha.Identity.Data;
using Xuncha.ServiceDefaults;
using Xuncha.ServiceDefaults.Data;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("identity");
builder.AddServiceDatabase<IdentityDb>(ConnectionNames.Identity);
builder.AddTokenService();
builder.Services.AddValidation();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapTokenService();
return await app.RunServiceAsync<IdentityDb>(args, IdentitySetup.PrepareAsync);

public partial class Program;
