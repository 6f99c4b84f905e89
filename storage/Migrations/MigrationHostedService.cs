using Microsoft.Extensions.Hosting;

namespace AlignmentBot.Storage.Migrations;

/// <summary>
/// Brings the schema up to date when the host starts. Registered before the scheduler so that
/// Quartz finds its tables; the host does not start if a migration fails.
/// </summary>
internal sealed class MigrationHostedService(DatabaseMigrator migrator) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => migrator.EnsureMigratedAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
