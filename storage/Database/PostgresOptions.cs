using Microsoft.Extensions.Options;
using Npgsql;

namespace AlignmentBot.Storage.Database;

/// <summary>The one PostgreSQL database the bot, the scheduler and Quartz share.</summary>
public sealed class PostgresOptions
{
    /// <summary>Configuration key, as a person would type it.</summary>
    public const string SettingName = "ConnectionStrings:Postgres";

    public string? ConnectionString { get; set; }
}

internal sealed class PostgresOptionsValidator : IValidateOptions<PostgresOptions>
{
    private const string Example = "Host=127.0.0.1;Port=55432;Username=postgres;Database=alignmentbot";

    public ValidateOptionsResult Validate(string? name, PostgresOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            return ValidateOptionsResult.Fail(
                $"{PostgresOptions.SettingName} is not set: set it in appsettings.json or the environment " +
                $"variable ConnectionStrings__Postgres (for example \"{Example}\"; scripts/db.sh url prints the local one).");
        }

        try
        {
            var parsed = new NpgsqlConnectionStringBuilder(options.ConnectionString);
            if (string.IsNullOrWhiteSpace(parsed.Host))
            {
                return ValidateOptionsResult.Fail(
                    $"{PostgresOptions.SettingName} has no Host: add Host=... (for example \"{Example}\").");
            }
        }
        catch (ArgumentException ex)
        {
            // The message names the offending keyword, never the value (which may be a password).
            return ValidateOptionsResult.Fail(
                $"{PostgresOptions.SettingName} is not a valid connection string ({ex.Message}); expected e.g. \"{Example}\".");
        }

        return ValidateOptionsResult.Success;
    }
}
