namespace Xuncha.Launcher;

/// <summary>Command line and environment: where the repo and data are, which ports, how many replicas of what.</summary>
public sealed record AppHostOptions(
    string Root, string Data, int PostgresPort, int AmqpPort, int ManagementPort, int GatewayPort, int DashboardPort,
    int FirstServicePort, IReadOnlyDictionary<string, int> Replicas, bool Demo)
{
    public string GatewayUrl => $"http://127.0.0.1:{GatewayPort}";
    public string DashboardUrl => $"http://127.0.0.1:{DashboardPort}";
    public string Credentials => Path.Combine(Data, "dev-credentials.json");

    public static AppHostOptions Parse(string[] args)
    {
        string? Arg(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        var root = Path.GetFullPath(Arg("--root") ?? Directory.GetCurrentDirectory());
        var replicas = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < args.Length - 1; i++)
        {
            if (args[i] != "--replicas") continue;
            foreach (var pair in args[i + 1].Split(',', StringSplitOptions.RemoveEmptyEntries))
            {
                var parts = pair.Split('=');
                if (parts.Length != 2 || !int.TryParse(parts[1], out var n) || n is < 1 or > 8)
                    throw new ArgumentException($"--replicas expects <service>=N with 1 ≤ N ≤ 8, got '{pair}'");
                replicas[parts[0]] = n;
            }
        }
        return new AppHostOptions(
            root,
            Path.GetFullPath(Arg("--data") ?? Path.Combine(root, ".xuncha")),
            Port("XUNCHA_PG_PORT", 15432), Port("XUNCHA_AMQP_PORT", 5673), Port("XUNCHA_RABBITMQ_MGMT_PORT", 15672),
            Port("XUNCHA_GATEWAY_PORT", 8080), Port("XUNCHA_DASHBOARD_PORT", 18888), Port("XUNCHA_SERVICE_PORT", 8101),
            replicas,
            !args.Contains("--no-demo"));
    }

    private static int Port(string variable, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(variable), out var p) ? p : fallback;
}
