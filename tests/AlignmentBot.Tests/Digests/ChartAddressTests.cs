using AlignmentBot.Bot.Digests.Charts;
using AlignmentBot.Tests.Support;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AlignmentBot.Tests.Digests;

/// <summary>In Development without Charts:PublicBaseUrl, a digest's chart URL is where the bot really listens.</summary>
public class ChartAddressTests
{
    [Test]
    public async Task In_development_the_chart_url_is_the_address_the_bot_listens_on_and_the_image_loads_from_it()
    {
        await using var database = await TestDatabase.CreateAsync();
        var tenant = await database.ScalarAsync<long>("INSERT INTO tenants (platform, external_id) VALUES ('teams', 'tenant-a') RETURNING id");
        // A port of the system's choosing, as `--urls` would give another: never the default 3978.
        await using var bot = new BotFactory(database, new Dictionary<string, string?> { ["urls"] = "http://127.0.0.1:0", ["Charts:PublicBaseUrl"] = "" });
        bot.UseKestrel();
        bot.StartServer();

        var url = await bot.Services.GetRequiredService<ITrendCharts>().PublishAsync(tenant, TrendChartRendererTests.Sample(), CancellationToken.None);

        Assert.That(url.Port, Is.Not.EqualTo(3978).And.GreaterThan(0));
        Assert.That(url.Host, Is.EqualTo("127.0.0.1"));
        // Fetched over the network as a browser would: the card shows the picture, not its alt text.
        using var http = new HttpClient();
        using var response = await http.GetAsync(url);
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("image/png"), $"{url} answers {response.StatusCode}");
    }

    [TestCase("http://0.0.0.0:5005", "http://127.0.0.1:5005/charts/t.png")]
    [TestCase("http://[::]:5005", "http://127.0.0.1:5005/charts/t.png")]
    [TestCase("http://localhost:5005", "http://localhost:5005/charts/t.png")]
    public void A_wildcard_listening_address_becomes_the_loopback_one(string listening, string expected)
    {
        var server = new ServerAddressesFeature();
        server.Addresses.Add("https://127.0.0.1:7001");
        server.Addresses.Add(listening);
        var features = new FeatureCollection();
        features.Set<IServerAddressesFeature>(server);

        var address = new ChartAddress(Options.Create(new ChartOptions()), new FakeServer(features));

        Assert.That(address.ChartUrl("t").AbsoluteUri, Is.EqualTo(expected), "plain http first, on this machine's loopback");
    }

    private sealed class FakeServer(IFeatureCollection features) : IServer
    {
        public IFeatureCollection Features => features;

        public Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken) where TContext : notnull => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public void Dispose()
        {
        }
    }
}
