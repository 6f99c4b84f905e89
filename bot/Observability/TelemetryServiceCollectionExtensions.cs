using AlignmentBot.Bot.Delivery;
using Microsoft.Extensions.Options;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace AlignmentBot.Bot.Observability;

/// <summary>
/// OpenTelemetry for the bot: traces and metrics of ASP.NET Core, HttpClient, Npgsql, Quartz, the outbox's meter and
/// the bot's own spans (<see cref="BotTelemetry"/>), exported over OTLP when <c>OpenTelemetry:Endpoint</c> is set and
/// scraped by Prometheus on <c>OpenTelemetry:PrometheusUrls</c>. With neither, nothing is registered at all.
/// </summary>
public static class TelemetryServiceCollectionExtensions
{
    public static WebApplicationBuilder AddTelemetry(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<TelemetryOptions>().BindConfiguration(TelemetryOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<TelemetryOptions>, TelemetryOptionsValidator>();
        var mainUrls = builder.Configuration[WebHostDefaults.ServerUrlsKey] ?? "";
        builder.Services.AddSingleton(new MainUrls(mainUrls));

        var options = TelemetryOptions.Read(builder.Configuration);
        var otlp = options.EndpointUri;
        var scrape = options.PrometheusAddresses.Where(a => TelemetryOptions.ScrapeUri(a) is not null).ToList();
        if (otlp is null && scrape.Count == 0)
        {
            return builder;
        }

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(options.ServiceName))
            .WithTracing(tracing => tracing.AddBotTracing())
            .WithMetrics(metrics => metrics.AddBotMetrics());
        if (otlp is not null)
        {
            telemetry.UseOtlpExporter(options.Protocol == "http/protobuf" ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc, otlp);
        }

        if (scrape.Count > 0)
        {
            telemetry.WithMetrics(metrics => metrics.AddPrometheusExporter());
            // The scrape addresses are listened on beside the main ones (which stay as configured).
            builder.WebHost.UseUrls([.. mainUrls.Split(';', StringSplitOptions.RemoveEmptyEntries), .. scrape]);
        }

        return builder;
    }

    /// <summary>The sources traced: also what a test's in-memory exporter listens to.</summary>
    public static TracerProviderBuilder AddBotTracing(this TracerProviderBuilder tracing) =>
        tracing.AddSource(BotTelemetry.SourceName, BotTelemetry.QuartzSourceName)
            // Request and response headers are not recorded (the instrumentations' default): the Authorization header never
            // reaches a span. The query string is redacted by default too.
            .AddAspNetCoreInstrumentation(o => o.Filter = http => http.Request.Path != "/metrics")
            .AddHttpClientInstrumentation()
            .AddNpgsql();

    public static MeterProviderBuilder AddBotMetrics(this MeterProviderBuilder metrics) =>
        metrics.AddMeter(DeliveryMetrics.MeterName, BotTelemetry.QuartzSourceName)
            .AddAspNetCoreInstrumentation()
            .AddHttpClientInstrumentation()
            .AddRuntimeInstrumentation()
            .AddNpgsqlInstrumentation();

    /// <summary>
    /// On a scrape port only <c>/metrics</c> is served (the bot's endpoints answer 404 there); on the main ports
    /// <c>/metrics</c> does not exist. The port a request arrived on decides, never its Host header.
    /// </summary>
    public static WebApplication UseTelemetryPorts(this WebApplication app)
    {
        var ports = TelemetryOptions.Read(app.Configuration).PrometheusPorts;
        if (ports.Count == 0)
        {
            return app;
        }

        app.UseOpenTelemetryPrometheusScrapingEndpoint(http => ports.Contains(http.Connection.LocalPort) && http.Request.Path == "/metrics");
        app.Use((http, next) =>
        {
            if (ports.Contains(http.Connection.LocalPort))
            {
                http.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            }

            return next(http);
        });
        return app;
    }
}
