using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Xuncha.Deployment.Tests;

/// <summary>
/// The rendered overlays (deploy/k8s/overlays/*) against the apphost's graph and the projects' container settings:
/// what this machine can check without a cluster or a container engine.
/// </summary>
public sealed class ManifestTests
{
    public static TheoryData<string> Overlays => new(Manifests.Overlays);

    private static IEnumerable<ApphostProcess> Processes => ApphostProcess.All;

    [Fact]
    public void The_apphost_graph_names_identity_the_gateway_and_the_six_services()
    {
        Assert.Equal(
            ["audit", "clues", "fieldwork", "gateway", "identity", "planning", "rectification", "staffing"],
            Processes.Select(p => p.Name).Order());
    }

    [Theory, MemberData(nameof(Overlays))]
    public void Every_object_has_the_fields_its_kind_requires(string overlay)
    {
        var m = Manifests.Of(overlay);
        Assert.NotEmpty(m.Objects);
        Assert.Empty(m.Objects.SelectMany(MinimalSchema.Check));

        // One namespace, and every namespaced object in it.
        var ns = Assert.Single(m.OfKind("Namespace"));
        Assert.All(m.Objects.Where(o => (string?)o["kind"] != "Namespace"),
            o => Assert.Equal(Manifests.Name(ns), (string?)o["metadata"]?["namespace"]));

        // Every Service selects the pods of a workload; every Ingress backend is a Service port.
        var workloads = m.OfKind("Deployment").Concat(m.OfKind("StatefulSet")).ToList();
        foreach (var service in m.OfKind("Service"))
        {
            var selector = service["spec"]!["selector"]!.AsObject();
            Assert.True(workloads.Any(w => Selects(selector, w["spec"]!["template"]!["metadata"]!["labels"]!.AsObject())),
                $"{overlay}: Service {Manifests.Name(service)} selects no workload's pods");
        }
        foreach (var backend in m.OfKind("Ingress").SelectMany(i => i["spec"]!["rules"]!.AsArray())
                     .SelectMany(r => r!["http"]!["paths"]!.AsArray()).Select(p => p!["backend"]!["service"]!))
        {
            var service = m.Single("Service", (string)backend["name"]!);
            Assert.Contains(service["spec"]!["ports"]!.AsArray(), p => (string?)p!["name"] == (string?)backend["port"]!["name"]);
        }
    }

    [Fact]
    public void The_minimal_schema_rejects_what_the_API_server_would()
    {
        var broken = JsonNode.Parse("""
            {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "Planning_Service"},
             "spec": {"selector": {"matchLabels": {"app": "planning"}},
                      "template": {"metadata": {"labels": {"app": "other"}},
                                   "spec": {"containers": [{"name": "planning",
                                            "readinessProbe": {"httpGet": {"path": "/health", "port": "web"}},
                                            "env": [{"name": "1BAD", "value": "x"}]}]}}}}
            """)!.AsObject();
        var errors = string.Join("\n", MinimalSchema.Check(broken));
        Assert.Contains("metadata.name is not a valid DNS name", errors);
        Assert.Contains("does not match the template's labels", errors);
        Assert.Contains("has no image", errors);
        Assert.Contains("port names no container port", errors);
        Assert.Contains("env name '1BAD' is invalid", errors);

        var job = JsonNode.Parse("""{"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "m"}, "spec": {"template": {"spec": {"containers": [{"name": "m", "image": "i"}]}}}}""")!.AsObject();
        Assert.Contains(MinimalSchema.Check(job), e => e.Contains("restartPolicy must be Never or OnFailure"));
        var unknown = JsonNode.Parse("""{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}}""")!.AsObject();
        Assert.Contains(MinimalSchema.Check(unknown), e => e.Contains("no schema for this kind"));
    }

    [Theory, MemberData(nameof(Overlays))]
    public void Every_apphost_process_has_a_Deployment_a_Service_and_a_disruption_budget(string overlay)
    {
        var m = Manifests.Of(overlay);
        foreach (var process in Processes)
        {
            var deployment = m.Single("Deployment", process.Name);
            var podLabels = deployment["spec"]!["template"]!["metadata"]!["labels"]!.AsObject();
            Assert.True(Selects(m.Single("Service", process.Name)["spec"]!["selector"]!.AsObject(), podLabels), $"{overlay}: Service {process.Name} does not select its Deployment's pods");
            Assert.Contains(m.OfKind("PodDisruptionBudget"), pdb => Selects(pdb["spec"]!["selector"]!["matchLabels"]!.AsObject(), podLabels));
        }
    }

    [Theory, MemberData(nameof(Overlays))]
    public void Stateless_processes_run_at_least_two_replicas_and_a_budget_keeps_one(string overlay)
    {
        var m = Manifests.Of(overlay);
        foreach (var process in Processes)
        {
            var deployment = m.Single("Deployment", process.Name);
            var replicas = (int?)deployment["spec"]!["replicas"] ?? 1;
            Assert.True(replicas >= 2, $"{overlay}: {process.Name} has {replicas} replica(s)");
            var podLabels = deployment["spec"]!["template"]!["metadata"]!["labels"]!.AsObject();
            var pdb = m.OfKind("PodDisruptionBudget").Single(p => Selects(p["spec"]!["selector"]!["matchLabels"]!.AsObject(), podLabels));
            var spec = pdb["spec"]!;
            var kept = spec["minAvailable"] is { } min ? (int)min : replicas - (int)spec["maxUnavailable"]!;
            Assert.InRange(kept, 1, replicas - 1);
        }
    }

    [Theory, MemberData(nameof(Overlays))]
    public void Every_service_with_a_database_has_a_migration_Job_running_its_own_image_with_migrate(string overlay)
    {
        var m = Manifests.Of(overlay);
        var serviceDatabase = File.ReadAllText(Path.Combine(Tools.RepoRoot, "services/ServiceDefaults/Data/ServiceDatabase.cs"));
        Assert.Contains("args.Contains(\"--migrate\")", serviceDatabase);
        foreach (var process in Processes)
        {
            var jobs = m.OfKind("Job").Where(j => (string?)j["spec"]!["template"]!["metadata"]!["labels"]!["app.kubernetes.io/name"] == process.Name).ToList();
            if (process.Database is null)
            {
                Assert.Empty(jobs);
                continue;
            }
            // The image's entrypoint is the service itself, and it migrates and exits only when its Program runs RunServiceAsync.
            var program = File.ReadAllText(Path.Combine(Path.GetDirectoryName(process.Project)!, "Program.cs"));
            Assert.Contains("RunServiceAsync<", program);

            var job = Assert.Single(jobs);
            Assert.Equal("Never", (string?)Manifests.PodSpec(job)["restartPolicy"]);
            Assert.NotNull(job["spec"]!["backoffLimit"]);
            var migrate = Assert.Single(Manifests.Containers(job));
            var server = Manifests.Containers(m.Single("Deployment", process.Name)).Single();
            Assert.Equal((string?)server["image"], (string?)migrate["image"]);
            Assert.Null(migrate["command"]);
            Assert.Equal(["--migrate"], migrate["args"]!.AsArray().Select(a => (string)a!));
            // Same configuration as the service (its Program builds the same host before migrating).
            var jobEnv = m.Environment(migrate);
            Assert.Contains($"ConnectionStrings__{process.Database}", jobEnv.Keys);
            Assert.Subset(jobEnv.Keys.ToHashSet(), m.Environment(server).Keys.ToHashSet());
        }
    }

    [Theory, MemberData(nameof(Overlays))]
    public void Probes_are_health_and_alive_on_the_port_the_image_listens_on(string overlay)
    {
        var m = Manifests.Of(overlay);
        var defaults = File.ReadAllText(Path.Combine(Tools.RepoRoot, "services/ServiceDefaults/ServiceDefaultsExtensions.cs"));
        Assert.Contains("MapHealthChecks(\"/health\"", defaults);
        Assert.Contains("MapHealthChecks(\"/alive\"", defaults);
        foreach (var process in Processes)
        {
            var settings = ContainerSettings.Of(process);
            var port = Assert.Single(settings.Ports);
            Assert.Equal(port.ToString(), settings.Environment.GetValueOrDefault("ASPNETCORE_HTTP_PORTS"));

            var container = Manifests.Containers(m.Single("Deployment", process.Name)).Single();
            var ports = container["ports"]!.AsArray().ToDictionary(p => (string)p!["name"]!, p => (int)p!["containerPort"]!);
            int Resolve(JsonNode? p) => p is JsonValue v && v.TryGetValue<int>(out var n) ? n : ports[(string)p!];

            Assert.Equal("/health", (string?)container["readinessProbe"]!["httpGet"]!["path"]);
            Assert.Equal(port, Resolve(container["readinessProbe"]!["httpGet"]!["port"]));
            Assert.Equal("/alive", (string?)container["livenessProbe"]!["httpGet"]!["path"]);
            Assert.Equal(port, Resolve(container["livenessProbe"]!["httpGet"]!["port"]));
            if (container["startupProbe"]?["httpGet"] is { } startup)
            {
                Assert.Equal("/alive", (string?)startup["path"]);
            }
            var servicePort = Assert.Single(m.Single("Service", process.Name)["spec"]!["ports"]!.AsArray());
            Assert.Equal(port, Resolve(servicePort!["targetPort"]));
        }
    }

    [Theory, MemberData(nameof(Overlays))]
    public void Every_variable_the_apphost_gives_a_process_is_given_to_its_pods(string overlay)
    {
        var m = Manifests.Of(overlay);
        foreach (var process in Processes)
        {
            var env = m.Environment(Manifests.Containers(m.Single("Deployment", process.Name)).Single());
            var expected = process.VariableNames
                // Read only by identity's Development seed (the dev overlay sets it; production is not Development).
                .Where(n => overlay == "dev" || n != "Identity__DevCredentialsPath");
            var missing = expected.Except(env.Keys).ToList();
            Assert.True(missing.Count == 0, $"{overlay}: {process.Name} lacks {string.Join(", ", missing)}");
            Assert.Equal(process.Name, env["OTEL_SERVICE_NAME"].Value);
        }
    }

    [Theory, MemberData(nameof(Overlays))]
    public void The_gateway_and_the_services_reach_each_other_by_in_cluster_Service_names(string overlay)
    {
        var m = Manifests.Of(overlay);
        var gateway = m.Environment(Manifests.Containers(m.Single("Deployment", "gateway")).Single());
        var upstreams = ApphostProcess.Named("gateway").VariableNames.Where(n => n.StartsWith("services__", StringComparison.Ordinal)).ToList();
        Assert.Equal(7, upstreams.Count);
        foreach (var name in upstreams)
        {
            var target = name.Split("__")[1];
            AssertPointsAtService(m, gateway[name].Value, target);
        }
        foreach (var process in Processes.Where(p => p.VariableNames.Contains("Identity__Url")))
        {
            var env = m.Environment(Manifests.Containers(m.Single("Deployment", process.Name)).Single());
            AssertPointsAtService(m, env["Identity__Url"].Value, "identity");
        }
    }

    [Theory, MemberData(nameof(Overlays))]
    public void Connection_strings_and_keys_come_from_Secrets_never_from_literals(string overlay)
    {
        var m = Manifests.Of(overlay);
        var sensitive = new Regex("^ConnectionStrings__|KeyEncryptionKey|Password|Secret|Token|_PASS", RegexOptions.IgnoreCase);
        var credentials = new Regex(@"Password=|://[^/\s:@]+:[^/\s@]+@|PRIVATE KEY", RegexOptions.IgnoreCase);
        foreach (var workload in m.OfKind("Deployment").Concat(m.OfKind("Job")).Concat(m.OfKind("StatefulSet")))
        {
            foreach (var container in Manifests.Containers(workload))
            {
                foreach (var (name, source) in m.Environment(container))
                {
                    var where = $"{overlay}: {workload["kind"]}/{Manifests.Name(workload)} {name}";
                    if (sensitive.IsMatch(name)) Assert.True(source.Kind is "secretKeyRef" or "Secret", $"{where} is not from a Secret");
                    if (source.Value is { } value) Assert.False(credentials.IsMatch(value), $"{where} carries a credential in plain text");
                }
            }
        }
        foreach (var configMap in m.OfKind("ConfigMap"))
        {
            foreach (var (key, value) in configMap["data"]?.AsObject() ?? [])
            {
                Assert.False(sensitive.IsMatch(key) || credentials.IsMatch((string?)value ?? ""), $"{overlay}: ConfigMap {Manifests.Name(configMap)} holds {key}");
            }
        }
    }

    [Fact]
    public void Production_Secrets_are_created_outside_git_with_the_names_dev_generates_and_the_README_lists()
    {
        var dev = Manifests.Of("dev");
        var production = Manifests.Of("production");
        Assert.Empty(production.OfKind("Secret"));

        var devRefs = SecretRefs(dev);
        var productionRefs = SecretRefs(production);
        Assert.Equal(devRefs.Order(), productionRefs.Order());
        foreach (var reference in devRefs)
        {
            var (name, key) = (reference.Split('/')[0], reference.Split('/')[1]);
            Assert.True(dev.Single("Secret", name)["data"]?[key] is not null, $"dev: Secret {name} has no key {key}");
        }
        var readme = File.ReadAllText(Path.Combine(Tools.RepoRoot, "deploy/k8s/README.md"));
        foreach (var reference in productionRefs)
        {
            Assert.Contains($"`{reference.Split('/')[0]}`", readme);
            Assert.Contains($"`{reference.Split('/')[1]}`", readme);
        }
    }

    [Theory, MemberData(nameof(Overlays))]
    public void Images_are_named_as_the_container_properties_say(string overlay)
    {
        var m = Manifests.Of(overlay);
        foreach (var process in Processes)
        {
            var settings = ContainerSettings.Of(process);
            var workloads = m.OfKind("Job").Where(j => (string?)j["spec"]!["template"]!["metadata"]!["labels"]!["app.kubernetes.io/name"] == process.Name)
                .Append(m.Single("Deployment", process.Name));
            foreach (var image in workloads.SelectMany(Manifests.Containers).Select(c => (string)c["image"]!))
            {
                var colon = image.LastIndexOf(':');
                Assert.True(colon > image.LastIndexOf('/'), $"{overlay}: image {image} has no tag");
                var (repository, tag) = (image[..colon], image[(colon + 1)..]);
                Assert.Contains(tag, settings.Tags);
                if (overlay == "production")
                {
                    // From the platform's registry: <registry host>/<ContainerRepository>.
                    Assert.Matches(@"^[a-z0-9.-]+\.[a-z]+(:\d+)?/" + Regex.Escape(settings.Repository) + "$", repository);
                }
                else
                {
                    Assert.Equal(settings.Repository, repository);
                }
            }
        }
    }

    [Theory, MemberData(nameof(Overlays))]
    public void Pods_run_as_the_images_non_root_user_with_a_read_only_root_and_a_writable_tmp(string overlay)
    {
        var m = Manifests.Of(overlay);
        foreach (var process in Processes)
        {
            var user = int.Parse(ContainerSettings.Of(process).User);
            var workloads = m.OfKind("Job").Where(j => (string?)j["spec"]!["template"]!["metadata"]!["labels"]!["app.kubernetes.io/name"] == process.Name)
                .Append(m.Single("Deployment", process.Name));
            foreach (var workload in workloads)
            {
                var pod = Manifests.PodSpec(workload);
                var where = $"{overlay}: {workload["kind"]}/{Manifests.Name(workload)}";
                Assert.True((bool?)pod["securityContext"]?["runAsNonRoot"] == true, $"{where}: runAsNonRoot");
                Assert.Equal(user, (int?)pod["securityContext"]?["runAsUser"]);
                Assert.Equal(false, (bool?)pod["automountServiceAccountToken"]);
                var emptyDirs = pod["volumes"]?.AsArray().Where(v => v!["emptyDir"] is not null).Select(v => (string)v!["name"]!).ToHashSet() ?? [];
                foreach (var container in Manifests.Containers(workload))
                {
                    var security = container["securityContext"];
                    Assert.True((bool?)security?["readOnlyRootFilesystem"] == true, $"{where}: readOnlyRootFilesystem");
                    Assert.True((bool?)security?["allowPrivilegeEscalation"] == false, $"{where}: allowPrivilegeEscalation");
                    Assert.Contains("ALL", security?["capabilities"]?["drop"]?.AsArray().Select(d => (string?)d) ?? []);
                    Assert.Contains(container["volumeMounts"]?.AsArray() ?? [], v => (string?)v!["mountPath"] == "/tmp" && emptyDirs.Contains((string)v["name"]!));
                    foreach (var bound in new[] { "requests", "limits" })
                    {
                        Assert.NotNull(container["resources"]?[bound]?["cpu"]);
                        Assert.NotNull(container["resources"]?[bound]?["memory"]);
                    }
                }
            }
        }
    }

    [Fact]
    public void Production_never_migrates_on_start_seeds_no_demo_and_issues_tokens_for_its_public_https_address()
    {
        var m = Manifests.Of("production");
        var ingress = Assert.Single(m.OfKind("Ingress"));
        var host = (string)ingress["spec"]!["rules"]![0]!["host"]!;
        Assert.Contains(ingress["spec"]!["tls"]!.AsArray(), t => t!["hosts"]!.AsArray().Any(h => (string?)h == host));
        foreach (var process in Processes)
        {
            var env = m.Environment(Manifests.Containers(m.Single("Deployment", process.Name)).Single());
            Assert.Equal("false", env["Database__MigrateOnStart"].Value);
            Assert.Equal("Production", env["ASPNETCORE_ENVIRONMENT"].Value);
            Assert.Equal("false", env["Demo__Seed"].Value);
            Assert.Equal($"https://{host}", env["Identity__Issuer"].Value);
        }
    }

    [Fact]
    public void Development_issues_tokens_for_its_ingress_address_and_seeds_demo_data()
    {
        var m = Manifests.Of("dev");
        var host = (string)Assert.Single(m.OfKind("Ingress"))["spec"]!["rules"]![0]!["host"]!;
        var env = m.Environment(Manifests.Containers(m.Single("Deployment", "planning")).Single());
        Assert.Equal($"http://{host}", env["Identity__Issuer"].Value);
        Assert.Equal("true", env["Demo__Seed"].Value);
        Assert.Equal("false", env["Database__MigrateOnStart"].Value);
    }

    private static void AssertPointsAtService(Manifests m, string? url, string process)
    {
        Assert.NotNull(url);
        var uri = new Uri(url);
        var service = m.Single("Service", uri.Host);
        Assert.Contains(service["spec"]!["ports"]!.AsArray(), p => (int)p!["port"]! == uri.Port);
        var podLabels = m.Single("Deployment", process)["spec"]!["template"]!["metadata"]!["labels"]!.AsObject();
        Assert.True(Selects(service["spec"]!["selector"]!.AsObject(), podLabels), $"{url} does not reach {process}'s pods");
    }

    private static HashSet<string> SecretRefs(Manifests m) =>
        m.OfKind("Deployment").Concat(m.OfKind("Job")).SelectMany(Manifests.Containers)
            .SelectMany(c => c["env"]?.AsArray() ?? [])
            .Select(e => e!["valueFrom"]?["secretKeyRef"])
            .Where(s => s is not null)
            .Select(s => $"{s!["name"]}/{s["key"]}")
            .ToHashSet();

    private static bool Selects(JsonObject selector, JsonObject labels) =>
        selector.Count > 0 && selector.All(s => labels.TryGetPropertyValue(s.Key, out var v) && (string?)v == (string?)s.Value);
}
