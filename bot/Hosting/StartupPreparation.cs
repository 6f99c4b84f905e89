using AlignmentBot.Storage.Migrations;
using Microsoft.Extensions.Options;

namespace AlignmentBot.Bot.Hosting;

public static class StartupPreparation
{
    /// <summary>
    /// Checks every setting and brings the database schema up to date before the host starts, so a
    /// problem ends the process with one clear line instead of a logged stack trace. (The same
    /// migration also runs as a hosted service, which is what test hosts use; it runs once per process.)
    /// </summary>
    public static async Task PrepareAsync(this WebApplication app)
    {
        app.Services.GetRequiredService<IStartupValidator>().Validate();
        await app.Services.GetRequiredService<DatabaseMigrator>().EnsureMigratedAsync(app.Lifetime.ApplicationStopping);
    }
}
