using System.Net;
using System.Security.Cryptography;
using System.Text;
using AlignmentBot.Bot.Digests.Charts;
using AlignmentBot.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AlignmentBot.Tests.Digests;

/// <summary>Publishing a chart and fetching it at /charts/{token}.png through the real host, on a fake clock.</summary>
public class ChartEndpointTests
{
    private const string PublicBaseUrl = "https://bot.example.test";
    private static readonly TimeSpan Expiry = TimeSpan.FromDays(14);

    private TestDatabase _database = null!;
    private FakeTimeProvider _clock = null!;
    private BotFactory _bot = null!;
    private HttpClient _http = null!;
    private long _tenant;

    [SetUp]
    public async Task StartAsync()
    {
        _database = await TestDatabase.CreateAsync();
        _tenant = await _database.ScalarAsync<long>("INSERT INTO tenants (platform, external_id) VALUES ('teams', 'tenant-c') RETURNING id");
        _clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
        _bot = new BotFactory(_database, new Dictionary<string, string?> { ["Charts:PublicBaseUrl"] = PublicBaseUrl }, _clock);
        _http = _bot.CreateClient();
    }

    [TearDown]
    public async Task StopAsync()
    {
        _http.Dispose();
        await _bot.DisposeAsync();
        await _database.DisposeAsync();
    }

    private Task<Uri> PublishAsync() =>
        _bot.Services.GetRequiredService<ITrendCharts>().PublishAsync(_tenant, TrendChartRendererTests.Sample(), CancellationToken.None);

    private Task<HttpResponseMessage> GetAsync(string path) => _http.GetAsync(new Uri(path, UriKind.Relative));

    private static string TokenOf(Uri url) => Path.GetFileNameWithoutExtension(url.AbsolutePath);

    [Test]
    public async Task A_published_chart_is_served_at_its_url_as_the_stored_png()
    {
        var url = await PublishAsync();

        using var response = await GetAsync(url.AbsolutePath);
        var body = await response.Content.ReadAsByteArrayAsync();

        Assert.That(url.ToString(), Does.Match("^https://bot\\.example\\.test/charts/[A-Za-z0-9_-]{43}\\.png$"), "256 bits, base64url");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("image/png"));
        Assert.That(body, Is.EqualTo(await _database.ScalarAsync<byte[]>("SELECT png FROM digest_charts")));
        Assert.That(Png.Read(body).Width, Is.EqualTo(TrendChartRenderer.Width));
        Assert.That(response.Headers.CacheControl?.ToString(), Is.EqualTo($"public, max-age={(int)Expiry.TotalSeconds}, immutable"),
            "caches may keep it, but not past its expiry");
    }

    [Test]
    public async Task Each_chart_gets_its_own_url()
    {
        var first = await PublishAsync();
        var second = await PublishAsync();

        Assert.That(second, Is.Not.EqualTo(first));
    }

    [Test]
    public async Task A_guessed_token_is_refused()
    {
        var token = TokenOf(await PublishAsync());
        var nearMiss = (token[0] == 'A' ? 'B' : 'A') + token[1..];

        using var guessed = await GetAsync($"/charts/{ChartToken.New()}.png");
        using var near = await GetAsync($"/charts/{nearMiss}.png");

        Assert.That(guessed.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(near.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(await near.Content.ReadAsByteArrayAsync(), Is.Empty, "a refusal says nothing about why");
    }

    [TestCase("short")]
    [TestCase("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [TestCase("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA!")]
    [TestCase("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA%2F")]
    public async Task A_malformed_token_is_refused(string token)
    {
        await PublishAsync();

        using var response = await GetAsync($"/charts/{token}.png");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task A_chart_is_served_until_its_expiry_and_refused_from_then_on()
    {
        var url = await PublishAsync();

        _clock.Advance(Expiry - TimeSpan.FromSeconds(1));
        using var lastSecond = await GetAsync(url.AbsolutePath);
        _clock.Advance(TimeSpan.FromSeconds(1));
        using var expired = await GetAsync(url.AbsolutePath);

        Assert.That(lastSecond.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(lastSecond.Headers.CacheControl?.MaxAge, Is.EqualTo(TimeSpan.FromSeconds(1)));
        Assert.That(expired.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task Publishing_deletes_the_charts_that_have_expired()
    {
        await PublishAsync();
        _clock.Advance(TimeSpan.FromDays(7));
        await PublishAsync();
        _clock.Advance(TimeSpan.FromDays(8));

        var current = await PublishAsync();

        Assert.That(await _database.ScalarAsync<long>("SELECT count(*) FROM digest_charts"), Is.EqualTo(2), "the first expired; the second has a day left");
        using var response = await GetAsync(current.AbsolutePath);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task The_database_holds_only_a_hash_of_the_token()
    {
        var token = TokenOf(await PublishAsync());

        var row = await _database.ScalarAsync<string>("SELECT row_to_json(c)::text FROM digest_charts c");
        var storedHash = await _database.ScalarAsync<byte[]>("SELECT token_hash FROM digest_charts");

        Assert.That(row, Does.Not.Contain(token));
        Assert.That(row, Does.Not.Contain(Convert.ToHexStringLower(Encoding.ASCII.GetBytes(token))));
        Assert.That(row, Does.Not.Contain(Convert.ToHexStringLower(Convert.FromBase64String(token.Replace('-', '+').Replace('_', '/') + "="))));
        Assert.That(storedHash, Is.EqualTo(SHA256.HashData(Encoding.ASCII.GetBytes(token))));
    }
}
