using Xuncha.Testing;

namespace Xuncha.FrontDoor.Tests;

[CollectionDefinition(Name)]
public sealed class Servers : ICollectionFixture<PlatformServers>
{
    public const string Name = "real servers";
}
