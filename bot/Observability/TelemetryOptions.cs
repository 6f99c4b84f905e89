using System.Net;

namespace AlignmentBot.Bot.Observability;

/// <summary>
/// Section "OpenTelemetry": where traces, metrics and logs go. Nothing is collected or exported unless
/// <see cref="Endpoint"/> (OTLP) or <see cref="PrometheusUrls"/> (a scrape port) is set.
/// </summary>
public sealed class TelemetryOptions
{
    public const string Section = "OpenTelemetry";

    /// <summary>The OTLP collector, e.g. http://127.0.0.1:4317 (gRPC) or http://127.0.0.1:4318 (with Protocol http/protobuf); empty = no export.</summary>
    public string Endpoint { get; set; } = "";

    /// <summary>"grpc" (default) or "http/protobuf".</summary>
    public string Protocol { get; set; } = "grpc";

    /// <summary>The service.name resource attribute.</summary>
    public string ServiceName { get; set; } = "alignmentbot";

    /// <summary>
    /// Where Prometheus scrapes <c>/metrics</c>, e.g. http://127.0.0.1:9464 (several separated by ';'): extra listening
    /// addresses that serve nothing but /metrics, while the main address never serves it. Empty = off.
    /// </summary>
    public string PrometheusUrls { get; set; } = "";

    /// <summary>Allows a scrape address that is not loopback (metrics show traffic volumes: keep them off the public side).</summary>
    public bool PrometheusAllowRemote { get; set; }

    /// <summary>
    /// The section as configured, read before the container exists (it decides what is registered and listened on);
    /// bad values are left to <see cref="TelemetryOptionsValidator"/>, which names them at start-up.
    /// </summary>
    public static TelemetryOptions Read(IConfiguration configuration) =>
        configuration.GetSection(Section).Get<TelemetryOptions>() ?? new TelemetryOptions();

    /// <summary>The OTLP endpoint, or null when none (or not a valid URL: the validator refuses that at start-up).</summary>
    public Uri? EndpointUri => Uri.TryCreate(Endpoint, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" ? uri : null;

    /// <summary>The scrape addresses as given, split; each is checked by the validator.</summary>
    public IReadOnlyList<string> PrometheusAddresses =>
        PrometheusUrls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>The ports of the valid scrape addresses: a request arriving on one of them is a scrape.</summary>
    public IReadOnlySet<int> PrometheusPorts =>
        PrometheusAddresses.Select(ScrapeUri).OfType<Uri>().Select(u => u.Port).ToHashSet();

    /// <summary>An http URL with an explicit port and no path, or null.</summary>
    internal static Uri? ScrapeUri(string address) =>
        Uri.TryCreate(address, UriKind.Absolute, out var uri) && uri.Scheme == "http" && uri.AbsolutePath == "/" && uri.Port is > 0 and < 65536
        && address.Contains($":{uri.Port}", StringComparison.Ordinal)
            ? uri
            : null;

    internal static bool IsLoopback(Uri uri) =>
        uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
}
