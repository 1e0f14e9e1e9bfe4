using Xuncha.Launcher.Model;

namespace Xuncha.Launcher;

/// <summary>The platform's resource graph. A service joins when its project exists (the graph grows as services land).</summary>
public static class PlatformGraph
{
    // (resource name = gateway prefix, project folder, assembly, database)
    private static readonly (string Name, string Folder, string Assembly, string Database)[] Services =
    [
        ("planning", "services/planning", "Xuncha.Planning", "planningdb"),
        ("staffing", "services/staffing", "Xuncha.Staffing", "staffingdb"),
        ("fieldwork", "services/fieldwork", "Xuncha.Fieldwork", "fieldworkdb"),
        ("clues", "services/clues", "Xuncha.Clues", "cluesdb"),
        ("audit", "services/auditlinkage", "Xuncha.AuditLinkage", "auditdb"),
        ("rectification", "services/rectification", "Xuncha.Rectification", "rectificationdb"),
    ];

    public static Platform Build(AppHostOptions o, Action<Resource, string>? echo = null)
    {
        string Dll(string folder, string assembly) => Path.Combine(o.Root, folder, "bin", "Release", "net10.0", assembly + ".dll");
        var b = new PlatformBuilder();
        var postgres = b.AddPostgres("postgres", Path.Combine(o.Data, "postgres"), o.PostgresPort, durable: true);
        var bus = b.AddRabbitMq("eventbus", Path.Combine(o.Data, "rabbitmq"), o.AmqpPort, o.ManagementPort);
        var port = o.FirstServicePort;

        var identity = b.AddProject("identity", Dll("services/identity", "Xuncha.Identity"), port++)
            .WithReplicas(o.Replicas.GetValueOrDefault("identity", 1))
            .WithReference(b.AddDatabase(postgres, "identitydb")).WithMigrations(Path.Combine(o.Root, "services/identity/Data/Migrations"))
            .WaitFor(postgres)
            .WithEnvironment("Identity__Issuer", o.GatewayUrl)
            .WithEnvironment("Identity__DevCredentialsPath", o.Credentials);
        Common(identity);

        var gateway = b.AddProject("gateway", Dll("gateway/Xuncha.Gateway", "Xuncha.Gateway"), o.GatewayPort)
            .WithReference(identity).WaitFor(identity)
            .WithEnvironment("Identity__Url", () => identity.Replicas[0].Url!);
        Common(gateway);

        foreach (var (name, folder, assembly, database) in Services.Where(s => Directory.Exists(Path.Combine(o.Root, s.Folder))))
        {
            var service = b.AddProject(name, Dll(folder, assembly), port++)
                .WithReplicas(o.Replicas.GetValueOrDefault(name, 1))
                .WithReference(b.AddDatabase(postgres, database)).WithMigrations(Path.Combine(o.Root, folder, "Data/Migrations"))
                .WithReference(bus)
                // Tokens are validated against identity's keys, fetched on first use: the service need not wait for it.
                .WaitFor(postgres).WaitFor(bus)
                .WithEnvironment("Identity__Url", () => identity.Replicas[0].Url!)
                .WithEnvironment("Identity__Issuer", o.GatewayUrl)
                .WithEnvironment("Demo__Seed", o.Demo ? "true" : "false");
            Common(service);
            gateway.WithReference(service).WaitFor(service);
        }
        return b.Build(echo);

        void Common(ProjectBuilder p) => p
            .WithEnvironment("ASPNETCORE_ENVIRONMENT", "Development")
            // Development logs every SQL command at Information; the console view is for the service's own story. So
            // is the framework's per-request chatter (request started/finished, endpoint, result, proxying): about ten
            // records a request across the gateway and a service, each formatted for the console and exported over
            // OTLP, for what the traces already show.
            .WithEnvironment("Logging__LogLevel__Microsoft.EntityFrameworkCore.Database.Command", "Warning")
            .WithEnvironment("Logging__LogLevel__Microsoft.AspNetCore", "Warning")
            .WithEnvironment("Logging__LogLevel__Yarp", "Warning")
            .WithEnvironment("Logging__LogLevel__System.Net.Http.HttpClient", "Warning")
            .WithEnvironment("OTEL_EXPORTER_OTLP_ENDPOINT", o.DashboardUrl)
            .WithEnvironment("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf");
    }
}
