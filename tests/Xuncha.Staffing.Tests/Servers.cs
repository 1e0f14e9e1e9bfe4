using Xuncha.Testing;

namespace Xuncha.Staffing.Tests;

[CollectionDefinition(Name)]
public sealed class Servers : ICollectionFixture<PlatformServers>
{
    public const string Name = "real servers";
}
