using AlignmentBot.Storage;

namespace AlignmentBot.Tests;

/// <summary>The stores' Dapper conventions, as the app sets them at start-up, for tests that use stores directly.</summary>
[SetUpFixture]
public sealed class SqlConventions
{
    [OneTimeSetUp]
    public void Apply() => StorageServiceCollectionExtensions.UseSqlConventions();
}
