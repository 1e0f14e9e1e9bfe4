using Xuncha.Gateway.Edge;
using Xuncha.Gateway.Health;
using Xuncha.Gateway.Routing;
using Xuncha.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("gateway");
builder.AddEdgeAuthorization();
builder.AddEdgeHeaders();
builder.AddEdgeRateLimits();
builder.AddEdgeCors();
builder.AddGatewayProxy();
builder.Services.AddHealthChecks().AddCheck<ClusterHealth>(ClusterHealth.Name);

var app = builder.Build();
app.UseCors();                                   // before authentication: preflight requests carry no token
app.MapDefaultEndpoints(ClusterHealth.WriteAsync);
app.UseRateLimiter();                            // after authentication: API limits are per client
app.UseEdgeHeaders();
app.MapApiIndex();
app.MapGatewayProxy();
app.Run();

public partial class Program;
