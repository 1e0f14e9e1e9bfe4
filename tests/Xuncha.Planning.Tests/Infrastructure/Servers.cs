using Xuncha.Testing;

namespace Xuncha.Planning.Tests.Infrastructure;

[CollectionDefinition(Name)]
public sealed class Servers : ICollectionFixture<PlatformServers>
{
    public const string Name = "real servers";
}
