using Xuncha.Testing;

namespace Xuncha.Foundation.Tests;

[CollectionDefinition(Name)]
public sealed class Servers : ICollectionFixture<PlatformServers>
{
    public const string Name = "real servers";
}
