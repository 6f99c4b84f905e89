using Microsoft.Extensions.Options;

namespace AlignmentBot.Bot.Observability;

/// <summary>Every bad telemetry or log-format setting, one line each, naming the setting and what it takes.</summary>
internal sealed class TelemetryOptionsValidator(IConfiguration configuration, MainUrls main) : IValidateOptions<TelemetryOptions>
{
    /// <summary>The built-in console formatters: "json" gives one structured JSON object per log line.</summary>
    public const string FormatterSetting = "Logging:Console:FormatterName";

    private static readonly string[] Formatters = ["simple", "json", "systemd"];

    public ValidateOptionsResult Validate(string? name, TelemetryOptions o)
    {
        var failures = new List<string>();
        void Check(bool ok, string key, string rule)
        {
            if (!ok)
            {
                failures.Add($"{TelemetryOptions.Section}:{key} {rule}");
            }
        }

        Check(string.IsNullOrWhiteSpace(o.Endpoint) || o.EndpointUri is not null, nameof(o.Endpoint),
            "must be an absolute http(s) URL of an OTLP collector, e.g. http://127.0.0.1:4317, or empty for no export.");
        Check(o.Protocol is "grpc" or "http/protobuf", nameof(o.Protocol), "must be grpc (default, port 4317) or http/protobuf (port 4318).");
        Check(!string.IsNullOrWhiteSpace(o.ServiceName), nameof(o.ServiceName), "must not be empty (default alignmentbot).");
        foreach (var address in o.PrometheusAddresses)
        {
            var uri = TelemetryOptions.ScrapeUri(address);
            Check(uri is not null, nameof(o.PrometheusUrls), $"has \"{address}\": each must be http://host:port with an explicit port and no path, e.g. http://127.0.0.1:9464.");
            Check(uri is null || o.PrometheusAllowRemote || TelemetryOptions.IsLoopback(uri), nameof(o.PrometheusUrls),
                $"has \"{address}\", which is not a loopback address: metrics stay off the public side unless {TelemetryOptions.Section}:{nameof(o.PrometheusAllowRemote)} is true.");
        }

        var mainPorts = main.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(url => Uri.TryCreate(url.Replace("*", "localhost", StringComparison.Ordinal).Replace("+", "localhost", StringComparison.Ordinal), UriKind.Absolute, out var u) ? u.Port : -1)
            .Where(port => port > 0).ToHashSet();
        Check(!o.PrometheusPorts.Overlaps(mainPorts), nameof(o.PrometheusUrls), "must use a port of its own, not one the bot serves its endpoints on (urls / ASPNETCORE_URLS).");

        if (configuration[FormatterSetting] is { Length: > 0 } formatter && !Formatters.Contains(formatter, StringComparer.OrdinalIgnoreCase))
        {
            failures.Add($"{FormatterSetting} must be simple (default), json (structured JSON lines) or systemd; \"{formatter}\" is none of them.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

/// <summary>The bot's own listening addresses (urls / ASPNETCORE_URLS) as configured, before the scrape addresses join them.</summary>
internal sealed record MainUrls(string Urls);
