using Xuncha.Testing;

namespace Xuncha.AuditLinkage.Tests;

[CollectionDefinition(Name)]
public sealed class Servers : ICollectionFixture<PlatformServers>
{
    public const string Name = "real servers";
}
