using System.Net;
using System.Net.Sockets;
using AlignmentBot.Tests.Support;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace AlignmentBot.Tests.Observability;

/// <summary>With OpenTelemetry:PrometheusUrls set, /metrics is served on that port only, and nothing else is.</summary>
public class PrometheusPortTests
{
    [Test]
    public async Task The_scrape_port_serves_metrics_and_nothing_else_and_the_main_port_has_no_metrics()
    {
        await using var database = await TestDatabase.CreateAsync();
        var scrapePort = FreePort();
        var adminPort = FreePort();
        await using var bot = new BotFactory(database, new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:0",
            // The admin API has a listener of its own too (a free port, not the default 3979 a running bot may hold).
            ["Admin:Urls"] = $"http://127.0.0.1:{adminPort}",
            ["OpenTelemetry:PrometheusUrls"] = $"http://127.0.0.1:{scrapePort}",
        });
        bot.UseKestrel();
        bot.StartServer();
        var addresses = bot.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Select(a => new Uri(a)).ToList();
        var main = addresses.Single(a => a.Port != scrapePort && a.Port != adminPort);
        var scrape = new Uri($"http://127.0.0.1:{scrapePort}");
        using var http = new HttpClient();

        using (var health = await http.GetAsync(new Uri(main, "/healthz")))
        {
            Assert.That(health.StatusCode, Is.Not.EqualTo(HttpStatusCode.NotFound), "the bot's endpoints are on the main port");
        }

        var metrics = await Eventually.ValueAsync(() => http.GetStringAsync(new Uri(scrape, "/metrics")),
            body => body.Contains("http_server_request_duration", StringComparison.Ordinal), TimeSpan.FromSeconds(30), "the request metrics");
        Assert.That(metrics, Does.Contain("alignmentbot_delivery_queue_depth"), "the outbox's meter is exported");
        Assert.That(metrics, Does.Contain("# TYPE"), "the Prometheus text format");

        using var mainMetrics = await http.GetAsync(new Uri(main, "/metrics"));
        Assert.That(mainMetrics.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "the public port has no /metrics");
        using var forged = new HttpRequestMessage(HttpMethod.Get, new Uri(main, "/metrics"));
        forged.Headers.Host = $"127.0.0.1:{scrapePort}";
        using var forgedAnswer = await http.SendAsync(forged);
        Assert.That(forgedAnswer.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "the port decides, not the Host header");
        using var healthOnScrape = await http.GetAsync(new Uri(scrape, "/healthz"));
        Assert.That(healthOnScrape.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "the scrape port serves nothing but /metrics");
        using var messagesOnScrape = await http.PostAsync(new Uri(scrape, "/api/messages"), new StringContent("{}"));
        Assert.That(messagesOnScrape.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
