using Microsoft.Extensions.Options;

namespace AlignmentBot.Bot.Teams.Connector;

/// <summary>How the outbound Bot Connector client retries and how long it waits (section <c>Teams:Connector</c>).</summary>
public sealed class TeamsConnectorOptions
{
    public const string Section = "Teams:Connector";

    /// <summary>Retries after a 412, 502, 503 or 504 (0 turns retrying off). 429 is never retried here: the caller paces.</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>The first retry's delay; later ones grow exponentially, with jitter.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>No retry waits longer, not even when the answer's Retry-After asks for more.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The whole call, retries included.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(60);
}

internal sealed class TeamsConnectorOptionsValidator : IValidateOptions<TeamsConnectorOptions>
{
    private const int MostRetries = 10;

    public ValidateOptionsResult Validate(string? name, TeamsConnectorOptions options)
    {
        var failures = new List<string>();
        if (options.MaxRetries is < 0 or > MostRetries)
        {
            failures.Add($"{TeamsConnectorOptions.Section}:{nameof(TeamsConnectorOptions.MaxRetries)} must be between 0 and {MostRetries} (default 3).");
        }

        if (options.RetryBaseDelay < TimeSpan.Zero || options.RetryBaseDelay > TimeSpan.FromMinutes(1))
        {
            failures.Add($"{TeamsConnectorOptions.Section}:{nameof(TeamsConnectorOptions.RetryBaseDelay)} must be between 00:00:00 and 00:01:00 (default 00:00:01).");
        }

        if (options.MaxRetryDelay < options.RetryBaseDelay || options.MaxRetryDelay > TimeSpan.FromMinutes(5))
        {
            failures.Add($"{TeamsConnectorOptions.Section}:{nameof(TeamsConnectorOptions.MaxRetryDelay)} must be at least {nameof(TeamsConnectorOptions.RetryBaseDelay)} and at most 00:05:00 (default 00:00:10).");
        }

        if (options.Timeout <= TimeSpan.Zero)
        {
            failures.Add($"{TeamsConnectorOptions.Section}:{nameof(TeamsConnectorOptions.Timeout)} must be positive (default 00:01:00).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
