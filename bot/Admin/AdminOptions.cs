using Microsoft.Extensions.Options;

namespace AlignmentBot.Bot.Admin;

/// <summary>The admin HTTP API under <c>/admin</c>: on only when a key is configured, and only on its own listener.</summary>
public sealed class AdminOptions
{
    public const string Section = "Admin";

    public const string DefaultUrls = "http://127.0.0.1:3979";

    /// <summary>The global key: sees and changes every tenant. Callers send a key as <c>X-Api-Key</c>.</summary>
    public string ApiKey { get; set; } = "";

    /// <summary>
    /// Optional keys for one Teams tenant each (tenant's external id → key): such a key sees and changes only that
    /// Teams tenant, never a Slack workspace with the same id. With none of these, no <see cref="SlackWorkspaceKeys"/>
    /// and no <see cref="ApiKey"/> the admin API is off (its routes answer 404).
    /// </summary>
    public Dictionary<string, string> TenantKeys { get; set; } = [];

    /// <summary>Optional keys for one Slack workspace each (team id → key): such a key sees and changes only that workspace.</summary>
    public Dictionary<string, string> SlackWorkspaceKeys { get; set; } = [];

    /// <summary>
    /// Where <c>/admin</c> answers, separated by ';' (each with an explicit port). Requests for <c>/admin</c> on any other
    /// listener — the bot's public port included — get 404. Loopback by default; a non-loopback address must be https.
    /// </summary>
    public string Urls { get; set; } = DefaultUrls;

    /// <summary>Failed keys allowed per client address within <see cref="FailedKeyWindow"/> before it gets 429.</summary>
    public int FailedKeyLimit { get; set; } = 10;

    public TimeSpan FailedKeyWindow { get; set; } = TimeSpan.FromMinutes(1);

    public bool Enabled => ApiKey.Length > 0 || TenantKeys.Count > 0 || SlackWorkspaceKeys.Count > 0;

    /// <summary>The listener addresses as URIs (the validator has checked they parse).</summary>
    public IReadOnlyList<Uri> ListenerUris() =>
        Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(url => Uri.TryCreate(Wildcard(url), UriKind.Absolute, out var uri) ? uri : null).OfType<Uri>().ToList();

    /// <summary>"http://*:3979" and "http://+:3979" are valid listening addresses but not URIs.</summary>
    internal static string Wildcard(string url) =>
        url.Replace("://*", "://wildcard.invalid", StringComparison.Ordinal).Replace("://+", "://wildcard.invalid", StringComparison.Ordinal);
}

/// <summary>The bot's own listening addresses as given (<c>--urls</c>), before the admin listener was added to them.</summary>
internal sealed record PublicUrls(string? Urls);

internal sealed class AdminOptionsValidator(IConfiguration configuration, PublicUrls? publicUrls = null) : IValidateOptions<AdminOptions>
{
    private const int MinimumKeyLength = 24;

    public ValidateOptionsResult Validate(string? name, AdminOptions options)
    {
        var failures = new List<string>();
        if (options.ApiKey.Length is > 0 and < MinimumKeyLength)
        {
            failures.Add($"{AdminOptions.Section}:{nameof(AdminOptions.ApiKey)} must be at least {MinimumKeyLength} characters (e.g. `openssl rand -base64 32`), or empty to turn the global admin key off.");
        }

        var tenantKeys = options.TenantKeys.Select(k => (Setting: nameof(AdminOptions.TenantKeys), k.Key, k.Value))
            .Concat(options.SlackWorkspaceKeys.Select(k => (Setting: nameof(AdminOptions.SlackWorkspaceKeys), k.Key, k.Value)));
        foreach (var (setting, tenant, key) in tenantKeys)
        {
            if (key.Length < MinimumKeyLength)
            {
                failures.Add($"{AdminOptions.Section}:{setting}:{tenant} must be at least {MinimumKeyLength} characters (e.g. `openssl rand -base64 32`).");
            }
        }

        var keys = tenantKeys.Select(k => k.Value).Append(options.ApiKey).Where(k => k.Length > 0).ToList();
        if (keys.Distinct(StringComparer.Ordinal).Count() != keys.Count)
        {
            failures.Add($"{AdminOptions.Section}:{nameof(AdminOptions.TenantKeys)} or {nameof(AdminOptions.SlackWorkspaceKeys)} reuses a key: every tenant key, workspace key and {AdminOptions.Section}:{nameof(AdminOptions.ApiKey)} must differ.");
        }

        failures.AddRange(ListenerProblems(options));
        if (options.FailedKeyLimit < 1 || options.FailedKeyWindow <= TimeSpan.Zero)
        {
            failures.Add($"{AdminOptions.Section}:{nameof(AdminOptions.FailedKeyLimit)} must be at least 1 and {AdminOptions.Section}:{nameof(AdminOptions.FailedKeyWindow)} positive (e.g. 10 per 00:01:00).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private IEnumerable<string> ListenerProblems(AdminOptions options)
    {
        var setting = $"{AdminOptions.Section}:{nameof(AdminOptions.Urls)}";
        var urls = options.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (!options.Enabled)
        {
            yield break;
        }

        if (urls.Length == 0)
        {
            yield return $"{setting} is empty: give the admin API its own address, e.g. {AdminOptions.DefaultUrls}.";
            yield break;
        }

        var publicPorts = (publicUrls?.Urls ?? configuration[WebHostDefaults.ServerUrlsKey] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(u => Uri.TryCreate(AdminOptions.Wildcard(u), UriKind.Absolute, out var uri) ? uri.Port : -1).ToHashSet();
        foreach (var url in urls)
        {
            if (!Uri.TryCreate(AdminOptions.Wildcard(url), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Port <= 0
                || !url.Contains($":{uri.Port}", StringComparison.Ordinal))
            {
                yield return $"{setting} has \"{url}\": each admin address needs a scheme, a host and an explicit port, e.g. {AdminOptions.DefaultUrls}.";
            }
            else if (publicPorts.Contains(uri.Port))
            {
                yield return $"{setting} uses port {uri.Port}, which the bot's public listener (--urls) uses too: the admin API needs a port of its own.";
            }
            else if (!uri.IsLoopback && uri.Scheme != Uri.UriSchemeHttps)
            {
                // Keys would cross the network in clear text.
                yield return $"{setting} has \"{url}\" beyond this machine over plain http: use https:// for it, or keep it on loopback behind a TLS proxy.";
            }
        }
    }
}
