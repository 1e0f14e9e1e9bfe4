namespace Xuncha.EndToEnd.Tests.Authorization;

/// <summary>
/// Inputs for the operations whose parameters are bound and validated BEFORE the role gate runs (a required query
/// parameter, a DataAnnotations-validated body): with an empty body every caller would get 400 and the gate would never
/// be seen. Each input passes binding and validation but names nothing that exists (the unknown id, an unknown code or
/// jurisdiction, no standard code), so an allowed caller is refused by the handler (400/404/409/422) and nothing changes.
/// </summary>
public static class ProbeInputs
{
    public sealed record Input(string? Query = null, string? Json = null, string? Path = null);

    private const string Unknown = Probe.UnknownName;
    private const string Reason = "\"reason\":\"e2e authorization matrix\"";

    public static readonly IReadOnlyDictionary<string, Input> ByKey = new Dictionary<string, Input>(StringComparer.Ordinal)
    {
        ["GET /api/planning/classification/villages"] = new($"under={Unknown}"),
        ["POST /api/planning/jurisdictions"] = new(Json: $$"""{"id":"{{Unknown}}","parentId":"{{Unknown}}-parent","name":"e2e"}"""),
        ["POST /api/planning/terms"] = new(Json: $$"""{"jurisdiction":"{{Unknown}}","name":"e2e","startsOn":"2030-01-01","endsOn":"2030-12-31"}"""),
        ["POST /api/planning/targets"] = new(Json: $$"""{"code":"{{Unknown}}","parentCode":"{{Unknown}}-parent","name":"e2e","kind":"township"}"""),
        ["PUT /api/planning/targets/{id}"] = new(Json: $$"""{"name":"e2e","attributes":{},{{Reason}}}"""),
        ["PUT /api/planning/targets/{id}/classification"] = new(Json: $$"""{{{Reason}}}"""),
        ["PUT /api/planning/classification/rules/{jurisdiction}"] = new(Json: $$"""{"economicSizeAtLeast":0,"petitionsAtLeast":1,"projectsAtLeast":1,"specialFundsAtLeast":0,{{Reason}}}"""),
        ["PUT /api/planning/rounds/{id}"] = new(Json: """{"name":"e2e"}"""),
        ["POST /api/planning/rounds/{id}/targets"] = new(Json: """{"targets":[{"targetId":"e2e0a11c-0000-4000-8000-00000000a7e2","mode":"regular"}]}"""),
        ["DELETE /api/planning/rounds/{id}/targets/{targetId}"] = new("reason=e2e"),
        ["POST /api/planning/rounds/{id}/transitions"] = new(Json: $$"""{{{Reason}}}"""),
        // No code: "a new item needs its code" is the handler's 400, after the gate; a valid code would publish a standard.
        ["POST /api/planning/standards/items"] = new(Json: $$"""{"domain":"rural-revitalisation","level":"county-department","indicator":"e2e","comparison":"at-most","threshold":1,"unit":"e2e","policyBasis":"e2e",{{Reason}}}"""),
        ["PUT /api/planning/standards/items/{code}"] = new(Json: $$"""{"domain":"rural-revitalisation","level":"county-department","indicator":"e2e","comparison":"at-most","threshold":1,"unit":"e2e","policyBasis":"e2e",{{Reason}}}"""),
        ["DELETE /api/planning/standards/items/{code}"] = new("reason=e2e"),
        ["PUT /api/clues/clues/{id}/classification"] = new(Json: $$"""{"category":"integrity","sensitivity":"ordinary","version":1}"""),
        ["POST /api/clues/clues/{id}/status"] = new(Json: $$"""{"status":"held","version":1,{{Reason}}}"""),
        ["POST /api/clues/commission/clues/{id}/reports"] = new(Json: """{"commissionReference":"e2e","status":"received"}"""),
        ["POST /api/clues/reconciliations/{id}/office-confirmations"] = new(Json: """{"items":[{"clueId":"e2e0a11c-0000-4000-8000-00000000a7e2","status":"received"}]}"""),
        ["POST /api/clues/reconciliations/{id}/commission-confirmations"] = new(Json: """{"items":[{"clueId":"e2e0a11c-0000-4000-8000-00000000a7e2","status":"received"}]}"""),
        // The demo city (the seeded users' own) with an invalid policy: the handler's 400 comes after the gate and the own-office rule.
        ["PUT /api/staffing/policies/{jurisdiction}"] = new(Json: """{"formerUnitYears":-1}""", Path: "/api/staffing/policies/demo-city"),
        // Only the own-office rule stands between the gate and opening a quarter: the probe names another jurisdiction (403).
        ["POST /api/clues/reconciliations"] = new(Json: $$"""{"jurisdiction":"{{Unknown}}","year":2000,"quarter":1}"""),
        // The demo city and an unknown clue: 404 after the gate (the refused read of the unknown id is audited, nothing else is written).
        ["POST /api/clues/assessments"] = new(Json: $$"""{"jurisdiction":"demo-city","heldOn":"2030-01-01","title":"e2e","participants":["a","b"],"decisions":[{"clueId":"e2e0a11c-0000-4000-8000-00000000a7e2","disposition":"hold","reason":"e2e"}]}"""),
        // A path that does not contain the clue's jurisdiction: the handler's own 400, after the gate and before any write.
        ["POST /api/clues/clues"] = new(Json: $$"""{"roundId":"e2e0a11c-0000-4000-8000-00000000a7e2","targetId":"e2e0a11c-0000-4000-8000-00000000a7e2","targetName":"e2e","jurisdiction":"demo-city","jurisdictionPath":["{{Unknown}}"],"involvedPersons":["e2e"],"category":"integrity","summary":"e2e authorization matrix probe","source":"other"}"""),
    };
}
