using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Xuncha.Deployment.Tests;

/// <summary>
/// A hand-written, minimal schema for the kinds deploy/k8s uses: the fields the API server requires for each kind (and a
/// few it would reject), not the whole OpenAPI schema, which this machine cannot fetch (no cluster). A kind not listed
/// here is an error, so a new kind needs its rules added.
/// </summary>
internal static partial class MinimalSchema
{
    private static readonly Dictionary<string, string> ApiVersions = new()
    {
        ["Namespace"] = "v1", ["ConfigMap"] = "v1", ["Secret"] = "v1", ["Service"] = "v1",
        ["Deployment"] = "apps/v1", ["StatefulSet"] = "apps/v1", ["Job"] = "batch/v1",
        ["PodDisruptionBudget"] = "policy/v1", ["Ingress"] = "networking.k8s.io/v1", ["NetworkPolicy"] = "networking.k8s.io/v1",
    };

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex DnsLabel();
    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex DnsSubdomain();
    [GeneratedRegex("^[-._a-zA-Z0-9]+$")]
    private static partial Regex DataKey();
    [GeneratedRegex("^[-._a-zA-Z][-._a-zA-Z0-9]*$")]
    private static partial Regex EnvName();
    [GeneratedRegex("^[0-9]+(\\.[0-9]+)?(m|Ki|Mi|Gi|Ti|k|M|G|T)?$")]
    private static partial Regex Quantity();

    public static IReadOnlyList<string> Check(JsonObject o)
    {
        var errors = new List<string>();
        var kind = Str(o, "kind");
        var name = Str(o["metadata"], "name");
        var where = $"{kind ?? "?"}/{name ?? "?"}";
        void Error(string message) => errors.Add($"{where}: {message}");

        if (kind is null) Error("kind is missing");
        if (Str(o, "apiVersion") is not { } apiVersion) Error("apiVersion is missing");
        else if (kind is not null && ApiVersions.TryGetValue(kind, out var expected) && apiVersion != expected) Error($"apiVersion {apiVersion}, expected {expected}");
        if (name is null) Error("metadata.name is missing");
        if (kind is null || name is null) return errors;
        if (!ApiVersions.ContainsKey(kind)) Error("no schema for this kind in MinimalSchema");

        // Services and Namespaces are DNS labels (≤ 63); the rest DNS subdomains (≤ 253).
        var label = kind is "Service" or "Namespace";
        if (!(label ? DnsLabel() : DnsSubdomain()).IsMatch(name) || name.Length > (label ? 63 : 253)) Error("metadata.name is not a valid DNS name");
        foreach (var (key, value) in Obj(o["metadata"]?["labels"]))
        {
            if (value?.GetValueKind() != JsonValueKind.String) Error($"label {key} is not a string");
        }

        var spec = o["spec"] as JsonObject;
        switch (kind)
        {
            case "ConfigMap" or "Secret":
                foreach (var (key, value) in Obj(o["data"]).Concat(Obj(o["stringData"])))
                {
                    if (!DataKey().IsMatch(key)) Error($"data key '{key}' is invalid");
                    if (value?.GetValueKind() != JsonValueKind.String) Error($"data '{key}' is not a string");
                }
                break;
            case "Service":
                if (spec is null) { Error("spec is missing"); break; }
                var ports = Arr(spec["ports"]);
                if (ports.Count == 0) Error("spec.ports is empty");
                foreach (var port in ports)
                {
                    if (Int(port, "port") is not (>= 1 and <= 65535)) Error("a port has no valid spec.ports[].port");
                    if (port?["targetPort"] is { } target && target.GetValueKind() == JsonValueKind.String && !DnsLabel().IsMatch((string)target!)) Error("targetPort name is invalid");
                }
                if (ports.Count > 1 && ports.Any(p => Str(p, "name") is null)) Error("several ports need names");
                break;
            case "Deployment" or "StatefulSet" or "Job":
                if (spec is null) { Error("spec is missing"); break; }
                var template = spec["template"] as JsonObject;
                if (template is null) { Error("spec.template is missing"); break; }
                if (kind != "Job")
                {
                    var match = Obj(spec["selector"]?["matchLabels"]);
                    if (match.Count == 0) Error("spec.selector.matchLabels is empty");
                    var labels = Obj(template["metadata"]?["labels"]);
                    foreach (var (key, value) in match)
                    {
                        if ((labels.TryGetValue(key, out var actual) ? (string?)actual : null) != (string?)value) Error($"selector {key}={value} does not match the template's labels");
                    }
                    if (spec["replicas"] is { } replicas && replicas.GetValueKind() != JsonValueKind.Number) Error("spec.replicas is not a number");
                }
                if (kind == "StatefulSet" && Str(spec, "serviceName") is null) Error("spec.serviceName is missing");
                var pod = template["spec"] as JsonObject;
                if (pod is null) { Error("spec.template.spec is missing"); break; }
                var restart = Str(pod, "restartPolicy");
                if (kind == "Job" && restart is not ("Never" or "OnFailure")) Error("a Job's restartPolicy must be Never or OnFailure");
                if (kind != "Job" && restart is not (null or "Always")) Error("restartPolicy must be Always");
                CheckPod(pod, Error);
                break;
            case "PodDisruptionBudget":
                if (spec is null) { Error("spec is missing"); break; }
                if (spec["selector"] is null) Error("spec.selector is missing");
                if ((spec["minAvailable"] is null) == (spec["maxUnavailable"] is null)) Error("exactly one of minAvailable and maxUnavailable");
                break;
            case "Ingress":
                if (spec is null) { Error("spec is missing"); break; }
                foreach (var rule in Arr(spec["rules"]))
                {
                    var paths = Arr(rule?["http"]?["paths"]);
                    if (paths.Count == 0) Error("a rule has no http.paths");
                    foreach (var path in paths)
                    {
                        if (Str(path, "pathType") is not ("Exact" or "Prefix" or "ImplementationSpecific")) Error("pathType is missing or invalid");
                        var backend = path?["backend"]?["service"];
                        if (Str(backend, "name") is null || (backend?["port"]?["name"] is null && backend?["port"]?["number"] is null)) Error("a path's backend.service needs name and port");
                    }
                }
                if (Arr(spec["rules"]).Count == 0 && spec["defaultBackend"] is null) Error("neither rules nor defaultBackend");
                break;
            case "NetworkPolicy":
                if (spec?["podSelector"] is not JsonObject) Error("spec.podSelector is missing");
                break;
        }
        return errors;
    }

    private static void CheckPod(JsonObject pod, Action<string> error)
    {
        var containers = Arr(pod["containers"]);
        if (containers.Count == 0) error("no containers");
        var volumes = Arr(pod["volumes"]).Select(v => Str(v, "name")).ToHashSet();
        foreach (var c in containers.Concat(Arr(pod["initContainers"])))
        {
            var name = Str(c, "name");
            if (name is null || !DnsLabel().IsMatch(name)) error("a container has no valid name");
            if (string.IsNullOrWhiteSpace(Str(c, "image"))) error($"container {name} has no image");
            var portNames = new HashSet<string>();
            foreach (var port in Arr(c?["ports"]))
            {
                if (Int(port, "containerPort") is not (>= 1 and <= 65535)) error($"container {name}: containerPort missing or invalid");
                if (Str(port, "name") is { } portName) portNames.Add(portName);
            }
            foreach (var env in Arr(c?["env"]))
            {
                var envName = Str(env, "name");
                if (envName is null || !EnvName().IsMatch(envName)) error($"container {name}: env name '{envName}' is invalid");
                if (env?["value"] is not null && env["valueFrom"] is not null) error($"container {name}: {envName} has both value and valueFrom");
                if (env?["valueFrom"]?["secretKeyRef"] is { } secret && (Str(secret, "name") is null || Str(secret, "key") is null)) error($"container {name}: {envName} secretKeyRef needs name and key");
            }
            foreach (var mount in Arr(c?["volumeMounts"]))
            {
                if (!volumes.Contains(Str(mount, "name")) && !IsClaimTemplate(pod, Str(mount, "name"))) error($"container {name}: volumeMount {Str(mount, "name")} names no volume");
                if (Str(mount, "mountPath") is null) error($"container {name}: volumeMount without mountPath");
            }
            foreach (var probeName in new[] { "startupProbe", "readinessProbe", "livenessProbe" })
            {
                if (c?[probeName] is not JsonObject probe) continue;
                if (probe["httpGet"] is JsonObject http)
                {
                    if (Str(http, "path") is null) error($"container {name}: {probeName} httpGet has no path");
                    var port = http["port"];
                    if (port is null || (port.GetValueKind() == JsonValueKind.String && !portNames.Contains((string)port!))) error($"container {name}: {probeName} port names no container port");
                }
                else if (probe["exec"] is null && probe["tcpSocket"] is null && probe["grpc"] is null) error($"container {name}: {probeName} has no handler");
            }
            foreach (var bound in new[] { "requests", "limits" })
            {
                foreach (var (resource, value) in Obj(c?["resources"]?[bound]))
                {
                    if (value is null || !Quantity().IsMatch(value.ToString())) error($"container {name}: {bound}.{resource} '{value}' is not a quantity");
                }
            }
        }
    }

    // Claim templates live on the StatefulSet, not the pod: the mount is checked against them by name only.
    private static bool IsClaimTemplate(JsonObject pod, string? name) =>
        pod.Parent?.Parent is JsonObject spec && Arr(spec["volumeClaimTemplates"]).Any(t => Str(t?["metadata"], "name") == name);

    private static string? Str(JsonNode? node, string key) =>
        node is JsonObject o && o[key] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? (string?)v : null;

    private static int? Int(JsonNode? node, string key) =>
        node is JsonObject o && o[key] is JsonValue v && v.GetValueKind() == JsonValueKind.Number ? (int)v : null;

    private static IReadOnlyList<JsonNode?> Arr(JsonNode? node) => node is JsonArray a ? a.ToList() : [];

    private static IReadOnlyDictionary<string, JsonNode?> Obj(JsonNode? node) =>
        node is JsonObject o ? o.ToDictionary(p => p.Key, p => p.Value) : new Dictionary<string, JsonNode?>();
}
