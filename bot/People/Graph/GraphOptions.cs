using AlignmentBot.Bot.Teams;
using Microsoft.Extensions.Options;

namespace AlignmentBot.Bot.People.Graph;

/// <summary>Microsoft Graph sync (section <c>Graph</c>): off unless enabled; app-only with the bot's own Entra app.</summary>
public sealed class GraphOptions
{
    public const string Section = "Graph";

    public bool Enabled { get; set; }

    /// <summary>Graph's root, version included (tests point it at a loopback fake).</summary>
    public string BaseUrl { get; set; } = "https://graph.microsoft.com/v1.0";

    /// <summary>How often the whole sync runs on the clustered scheduler (nightly by default; 00:00:00 = only after installs).</summary>
    public TimeSpan SyncInterval { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Users per page of <c>GET /users</c> (Graph allows up to 999).</summary>
    public int PageSize { get; set; } = 500;

    /// <summary>Per-user reads combined into one <c>POST /$batch</c> (Graph's JSON batching takes at most 20).</summary>
    public int BatchSize { get; set; } = 20;

    /// <summary>The pause between two batches: one batch in flight at a time, so a large tenant is a trickle, not a burst.</summary>
    public TimeSpan BatchPause { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>How often the requests of a batch that Graph answered 429 (or 503) are sent again, after their Retry-After.</summary>
    public int ThrottledRetries { get; set; } = 5;
}

internal sealed class GraphOptionsValidator(IOptions<TeamsOptions> teams) : IValidateOptions<GraphOptions>
{
    public ValidateOptionsResult Validate(string? name, GraphOptions options)
    {
        if (!options.Enabled)
        {
            return ValidateOptionsResult.Success;
        }

        var failures = new List<string>();
        if (!teams.Value.IsAuthenticated || string.IsNullOrWhiteSpace(teams.Value.AppPassword))
        {
            failures.Add($"{GraphOptions.Section}:{nameof(GraphOptions.Enabled)} is true but {TeamsOptions.Section}:{nameof(TeamsOptions.AppId)} and " +
                         $"{TeamsOptions.Section}:{nameof(TeamsOptions.AppPassword)} (the bot's Entra app, granted User.Read.All) are not both set.");
        }

        if (!Uri.TryCreate(options.BaseUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
        {
            failures.Add($"{GraphOptions.Section}:{nameof(GraphOptions.BaseUrl)} must be an absolute http(s) address (default https://graph.microsoft.com/v1.0).");
        }

        if (options.SyncInterval < TimeSpan.Zero)
        {
            failures.Add($"{GraphOptions.Section}:{nameof(GraphOptions.SyncInterval)} must not be negative (default 1.00:00:00).");
        }

        if (options.PageSize is < 1 or > 999)
        {
            failures.Add($"{GraphOptions.Section}:{nameof(GraphOptions.PageSize)} must be between 1 and 999 (default 500).");
        }

        if (options.BatchSize is < 2 or > 20)
        {
            failures.Add($"{GraphOptions.Section}:{nameof(GraphOptions.BatchSize)} must be between 2 and 20, Graph's limit for $batch (default 20).");
        }

        if (options.BatchPause < TimeSpan.Zero || options.BatchPause > TimeSpan.FromMinutes(1))
        {
            failures.Add($"{GraphOptions.Section}:{nameof(GraphOptions.BatchPause)} must be between 00:00:00 and 00:01:00 (default 00:00:00.250).");
        }

        if (options.ThrottledRetries is < 0 or > 20)
        {
            failures.Add($"{GraphOptions.Section}:{nameof(GraphOptions.ThrottledRetries)} must be between 0 and 20 (default 5).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
