using Microsoft.Extensions.Options;

namespace AlignmentBot.Bot.Digests.Charts;

/// <summary>Where digest charts are published and for how long.</summary>
public sealed class ChartOptions
{
    public const string Section = "Charts";

    /// <summary>
    /// The bot's public address as Teams reaches it (e.g. <c>https://bot.example.com</c>); chart URLs are built from it.
    /// Empty: the address the bot listens on in Development (<see cref="ChartAddress"/>), a start-up failure elsewhere.
    /// </summary>
    public string PublicBaseUrl { get; set; } = "";

    /// <summary>How long a published chart can be fetched; a digest older than this shows its text without the image.</summary>
    public int ExpiryDays { get; set; } = 14;

    public TimeSpan Expiry => TimeSpan.FromDays(ExpiryDays);

    /// <summary>The chart's address under <see cref="PublicBaseUrl"/>, keeping any path prefix a reverse proxy adds.</summary>
    public Uri ChartUrl(string token) => ChartUrl(PublicBaseUrl, token);

    /// <summary>The chart's address under a base URL, keeping any path prefix a reverse proxy adds.</summary>
    public static Uri ChartUrl(string baseUrl, string token) => new(new Uri(baseUrl.TrimEnd('/') + "/"), $"charts/{token}.png");
}

/// <param name="development">In Development an empty base URL is allowed: charts then use the address the bot listens on.</param>
internal sealed class ChartOptionsValidator(bool development = false) : IValidateOptions<ChartOptions>
{
    public const int MaxExpiryDays = 365;

    public ValidateOptionsResult Validate(string? name, ChartOptions options)
    {
        var failures = new List<string>();
        const string baseUrl = $"{ChartOptions.Section}:{nameof(ChartOptions.PublicBaseUrl)}";
        if (string.IsNullOrWhiteSpace(options.PublicBaseUrl))
        {
            if (development)
            {
                return Expiry(options, failures);
            }

            failures.Add($"{baseUrl} is not set: outside Development it must be the bot's public address (e.g. https://bot.example.com), " +
                         "from which Teams fetches digest charts (environment variable Charts__PublicBaseUrl).");
        }
        else if (!IsBaseUrl(options.PublicBaseUrl))
        {
            // The value is not echoed: a URL with a user name and password in it would end up in the log.
            failures.Add($"{baseUrl} must be an absolute http or https URL without user name, query or fragment, e.g. https://bot.example.com.");
        }

        return Expiry(options, failures);
    }

    private static ValidateOptionsResult Expiry(ChartOptions options, List<string> failures)
    {
        if (options.ExpiryDays is < 1 or > MaxExpiryDays)
        {
            failures.Add($"{ChartOptions.Section}:{nameof(ChartOptions.ExpiryDays)} is {options.ExpiryDays}: use a number from 1 to {MaxExpiryDays}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsBaseUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
        && uri.UserInfo.Length == 0 && uri.Query.Length == 0 && uri.Fragment.Length == 0;
}
