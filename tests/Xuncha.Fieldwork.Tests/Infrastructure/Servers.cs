using Xuncha.Testing;

namespace Xuncha.Fieldwork.Tests.Infrastructure;

[CollectionDefinition(Name)]
public sealed class Servers : ICollectionFixture<PlatformServers>
{
    public const string Name = "real servers";
}
