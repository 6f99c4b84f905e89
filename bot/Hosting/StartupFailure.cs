using AlignmentBot.Storage.Database;
using AlignmentBot.Storage.Migrations;
using Microsoft.Extensions.Options;

namespace AlignmentBot.Bot.Hosting;

/// <summary>Turns the ways start-up can fail for a reason the operator can fix into one line each.</summary>
public static class StartupFailure
{
    // sysexits.h: EX_CONFIG and EX_UNAVAILABLE, so scripts can tell a bad setting from a down database.
    public const int BadConfiguration = 78;
    public const int DatabaseUnavailable = 69;

    public static bool IsExplained(Exception ex) =>
        ex is OptionsValidationException or DatabaseUnreachableException or MigrationFailedException || IsBindingFailure(ex) || IsSeveralBadSettings(ex);

    /// <summary>Start-up validation reports every bad options section at once, as an AggregateException.</summary>
    private static bool IsSeveralBadSettings(Exception ex) =>
        ex is AggregateException all && all.InnerExceptions.Count > 0 && all.InnerExceptions.All(inner => inner is OptionsValidationException);

    public static int Report(Exception ex, TextWriter error)
    {
        switch (ex)
        {
            case AggregateException several:
                // One line per bad setting, every one of them, so the operator fixes all in one go.
                foreach (var invalid in several.InnerExceptions.OfType<OptionsValidationException>())
                {
                    Report(invalid, error);
                }

                return BadConfiguration;
            case OptionsValidationException invalid:
                foreach (var failure in invalid.Failures)
                {
                    error.WriteLine(failure);
                }

                return BadConfiguration;
            case DatabaseUnreachableException:
                error.WriteLine($"{ex.Message} (check {PostgresOptions.SettingName}; scripts/db.sh start runs a local database).");
                return DatabaseUnavailable;
            case MigrationFailedException:
                error.WriteLine($"Database migration failed: {ex.Message}");
                return DatabaseUnavailable;
            default:
                // "Failed to convert configuration value at 'Scheduler:CheckinInterval' to type 'System.TimeSpan'."
                error.WriteLine($"{ex.Message} Fix that setting in appsettings.json or its environment variable.");
                return BadConfiguration;
        }
    }

    private static bool IsBindingFailure(Exception ex) =>
        ex is InvalidOperationException && ex.Message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal);
}
