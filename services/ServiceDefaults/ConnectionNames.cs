namespace Xuncha.ServiceDefaults;

/// <summary>The one list of connection names (Aspire-style: read with GetConnectionString).</summary>
public static class ConnectionNames
{
    public const string EventBus = "eventbus";
    public const string Identity = "identitydb";
    public const string Planning = "planningdb";
    public const string Staffing = "staffingdb";
    public const string Fieldwork = "fieldworkdb";
    public const string Clues = "cluesdb";
    public const string Audit = "auditdb";
    public const string Rectification = "rectificationdb";
}
