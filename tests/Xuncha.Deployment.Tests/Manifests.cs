using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace Xuncha.Deployment.Tests;

/// <summary>
/// An overlay as Kubernetes would receive it: `kubectl kustomize deploy/k8s/overlays/&lt;overlay&gt;` (offline), read as
/// multi-document YAML by PyYAML and handed over as JSON (no YAML parser is pinned for .NET here).
/// </summary>
internal sealed class Manifests
{
    public static readonly string[] Overlays = ["dev", "production"];
    private static readonly ConcurrentDictionary<string, Lazy<Manifests>> Cache = new();

    // PyYAML's safe loader; default=str keeps any timestamp-looking scalar as text.
    private const string YamlToJson =
        "import sys, json, yaml\n" +
        "docs = [d for d in yaml.safe_load_all(sys.stdin) if d is not None]\n" +
        "json.dump(docs, sys.stdout, default=str)\n";

    public string Overlay { get; }
    public IReadOnlyList<JsonObject> Objects { get; }

    private Manifests(string overlay, IReadOnlyList<JsonObject> objects)
    {
        Overlay = overlay;
        Objects = objects;
    }

    public static Manifests Of(string overlay) => Cache.GetOrAdd(overlay, o => new Lazy<Manifests>(() => Render(o))).Value;

    private static Manifests Render(string overlay)
    {
        var folder = Path.Combine("deploy", "k8s", "overlays", overlay);
        var yaml = Tools.Run("kubectl", ["kustomize", folder]);
        var json = Tools.Run(Python(), ["-c", YamlToJson], stdin: yaml);
        var objects = JsonNode.Parse(json)!.AsArray().Select(n => n!.AsObject()).ToList();
        return new Manifests(overlay, objects);
    }

    /// <summary>The first python3 that has PyYAML: the one on PATH, else Debian's (python3-yaml).</summary>
    private static string Python()
    {
        foreach (var candidate in new[] { "python3", "/usr/bin/python3" })
        {
            try
            {
                Tools.Run(candidate, ["-c", "import yaml"]);
                return candidate;
            }
            catch (InvalidOperationException)
            {
            }
        }
        throw new InvalidOperationException("no python3 with PyYAML (Debian packages python3 and python3-yaml) to read the rendered YAML");
    }

    public IEnumerable<JsonObject> OfKind(string kind) => Objects.Where(o => (string?)o["kind"] == kind);

    public JsonObject? Find(string kind, string name) => OfKind(kind).FirstOrDefault(o => Name(o) == name);

    public JsonObject Single(string kind, string name) =>
        Find(kind, name) ?? throw new Xunit.Sdk.XunitException($"{Overlay}: no {kind} named '{name}'");

    public static string Name(JsonObject o) => (string?)o["metadata"]?["name"] ?? "";

    public static JsonObject PodSpec(JsonObject workload) => workload["spec"]!["template"]!["spec"]!.AsObject();

    public static IEnumerable<JsonObject> Containers(JsonObject workload) =>
        PodSpec(workload)["containers"]!.AsArray().Select(c => c!.AsObject());

    /// <summary>Every variable a container gets: its env entries and the keys of the ConfigMaps and Secrets it takes whole.</summary>
    public IReadOnlyDictionary<string, EnvSource> Environment(JsonObject container)
    {
        var result = new Dictionary<string, EnvSource>();
        foreach (var from in container["envFrom"]?.AsArray() ?? [])
        {
            var (kind, reference) = from!["configMapRef"] is { } cm ? ("ConfigMap", cm) : ("Secret", from["secretRef"]!);
            var name = (string)reference["name"]!;
            var source = Find(kind, name) ?? throw new Xunit.Sdk.XunitException($"{Overlay}: envFrom names {kind} '{name}', which is not rendered");
            foreach (var (key, value) in source["data"]?.AsObject() ?? [])
            {
                result[key] = new EnvSource(kind, name, kind == "ConfigMap" ? (string?)value : null);
            }
        }
        foreach (var entry in container["env"]?.AsArray() ?? [])
        {
            var name = (string)entry!["name"]!;
            result[name] = entry["valueFrom"]?["secretKeyRef"] is { } secret
                ? new EnvSource("secretKeyRef", $"{secret["name"]}/{secret["key"]}", null)
                : entry["valueFrom"] is not null
                    ? new EnvSource("valueFrom", entry["valueFrom"]!.ToJsonString(), null)
                    : new EnvSource("literal", "", (string?)entry["value"] ?? "");
        }
        return result;
    }
}

/// <summary>Where a variable's value comes from: a literal, a ConfigMap, a Secret (whole) or a secretKeyRef.</summary>
internal sealed record EnvSource(string Kind, string From, string? Value);
