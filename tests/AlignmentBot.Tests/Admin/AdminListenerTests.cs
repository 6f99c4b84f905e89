using System.Net;
using System.Text;
using AlignmentBot.Bot.Admin;
using AlignmentBot.Tests.Pulses;
using AlignmentBot.Tests.Support;
using Microsoft.Extensions.Configuration;

namespace AlignmentBot.Tests.Admin;

/// <summary>
/// The bot over real sockets: /admin answers only on its own listener, whatever Host header a caller on the public
/// port writes; bodies are limited as they arrive, chunked ones too, and an oversized one writes nothing.
/// </summary>
public class AdminListenerTests
{
    private const string Key = "listener-admin-key-0123456789abcdef";

    private TestDatabase _database = null!;
    private BotFactory _bot = null!;
    private HttpClient _http = null!;
    private Uri _public = null!;
    private Uri _admin = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _database = await TestDatabase.CreateAsync();
        await new PulseSeed(_database).TenantAsync();
        _public = new Uri($"http://127.0.0.1:{BotProcess.FreePort()}");
        _admin = new Uri($"http://127.0.0.1:{BotProcess.FreePort()}");
        _bot = new BotFactory(_database, new Dictionary<string, string?>
        {
            ["urls"] = _public.ToString().TrimEnd('/'),
            ["Admin:Urls"] = _admin.ToString().TrimEnd('/'),
            ["Admin:ApiKey"] = Key,
        });
        _bot.UseKestrel();
        _bot.StartServer();
        _http = new HttpClient();
        _http.DefaultRequestHeaders.Add("X-Api-Key", Key);
    }

    [TearDown]
    public async Task StopAsync()
    {
        _http.Dispose();
        await _bot.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Test]
    public async Task The_admin_api_answers_on_its_own_listener_and_404_on_the_public_port_whatever_the_host_header_says()
    {
        using var onAdmin = await _http.GetAsync(new Uri(_admin, "/admin/surveys"));
        using var onPublic = await _http.GetAsync(new Uri(_public, "/admin/surveys"));
        using var spoofed = new HttpRequestMessage(HttpMethod.Get, new Uri(_public, "/admin/surveys")) { Headers = { Host = _admin.Authority } };
        using var spoofedResponse = await _http.SendAsync(spoofed);
        using var health = await _http.GetAsync(new Uri(_public, "/healthz"));

        Assert.That(onAdmin.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(onPublic.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(spoofedResponse.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "the listener is the port the connection came in on, not the Host header");
        Assert.That(await onPublic.Content.ReadAsStringAsync(), Does.Not.Contain("admin").IgnoreCase, "the public port does not say an admin API exists");
        Assert.That(health.StatusCode, Is.Not.EqualTo(HttpStatusCode.NotFound), "the public port still serves the bot");
    }

    [Test]
    public async Task A_chunked_body_over_the_limit_is_413_and_writes_nothing()
    {
        // Valid JSON that only grows: a name far beyond the limit, sent without a Content-Length.
        var json = "{\"tenant\":\"" + PulseSeed.TenantExternalId + "\",\"name\":\"" + new string('x', (int)AdminGate.DefaultBodyLimit + 1024) + "\"}";
        using var content = new ChunkedContent(Encoding.UTF8.GetBytes(json));
        using var response = await _http.PostAsync(new Uri(_admin, "/admin/surveys"), content);

        Assert.That(content.Headers.ContentLength, Is.Null, "sent chunked");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
        Assert.That(await _database.ScalarAsync<long>("SELECT (SELECT count(*) FROM surveys) + (SELECT count(*) FROM audit_log)"), Is.Zero);
    }

    [Test]
    public async Task A_chunked_okr_import_over_its_own_larger_limit_is_413_and_writes_nothing()
    {
        var row = "\nCO-1,Win the mid-market,,,2027-Q4,,,,,,,,,,";
        var csv = new StringBuilder("objective_key,objective,team,parent_objective_key,cycle,key_result_key,key_result,owner,start,target,current,unit,confidence,cadence_days,due_on");
        while (csv.Length <= Bot.Okrs.OkrAdminApi.MaxImportBytes)
        {
            csv.Append(row);
        }

        using var content = new ChunkedContent(Encoding.UTF8.GetBytes(csv.ToString()), "text/csv");
        using var response = await _http.PostAsync(new Uri(_admin, $"/admin/tenants/teams/{PulseSeed.TenantExternalId}/okrs"), content);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
        Assert.That(await _database.ScalarAsync<long>("SELECT (SELECT count(*) FROM objectives) + (SELECT count(*) FROM audit_log)"), Is.Zero);
    }

    [TestCase("http://0.0.0.0:3979", "beyond this machine over plain http")]
    [TestCase("http://127.0.0.1:3978", "public listener (--urls) uses too")]
    [TestCase("http://127.0.0.1", "explicit port")]
    public void An_admin_listener_that_would_be_exposed_or_shared_fails_start_up_naming_the_setting(string urls, string reason)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["urls"] = "http://127.0.0.1:3978" }).Build();
        var result = new AdminOptionsValidator(configuration).Validate(null, new AdminOptions { ApiKey = Key, Urls = urls });

        Assert.That(result.Failed, Is.True);
        Assert.That(result.FailureMessage, Does.Contain("Admin:Urls").And.Contain(reason));
    }

    [Test]
    public void A_loopback_listener_or_a_deliberate_https_one_starts()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["urls"] = "http://0.0.0.0:3978" }).Build();

        Assert.That(new AdminOptionsValidator(configuration).Validate(null, new AdminOptions { ApiKey = Key }).Succeeded, Is.True);
        Assert.That(new AdminOptionsValidator(configuration).Validate(null, new AdminOptions { ApiKey = Key, Urls = "https://0.0.0.0:3979" }).Succeeded, Is.True);
    }

    [Test]
    public void A_slack_workspace_key_is_checked_like_a_tenant_key_short_or_reused_fails_start_up()
    {
        var configuration = new ConfigurationBuilder().Build();
        var shortKey = new AdminOptionsValidator(configuration).Validate(null, new AdminOptions { SlackWorkspaceKeys = { ["T0SAME"] = "short" } });
        var reused = new AdminOptionsValidator(configuration).Validate(null, new AdminOptions
        {
            TenantKeys = { ["T0SAME"] = "the-same-key-0123456789abcdef" },
            SlackWorkspaceKeys = { ["T0SAME"] = "the-same-key-0123456789abcdef" },
        });
        var distinct = new AdminOptionsValidator(configuration).Validate(null, new AdminOptions
        {
            TenantKeys = { ["T0SAME"] = "a-teams-key-0123456789abcdef" },
            SlackWorkspaceKeys = { ["T0SAME"] = "a-slack-key-0123456789abcdef" },
        });

        Assert.Multiple(() =>
        {
            Assert.That(shortKey.FailureMessage, Does.Contain("Admin:SlackWorkspaceKeys:T0SAME must be at least 24 characters"));
            Assert.That(reused.FailureMessage, Does.Contain("reuses a key"));
            Assert.That(distinct.Succeeded, Is.True, distinct.FailureMessage);
        });
    }

    /// <summary>A body with no length, as a streaming client sends it (Transfer-Encoding: chunked).</summary>
    private sealed class ChunkedContent : HttpContent
    {
        private readonly byte[] _body;

        public ChunkedContent(byte[] body, string mediaType = "application/json")
        {
            _body = body;
            Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(mediaType);
        }

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            var body = _body;
            for (var offset = 0; offset < body.Length; offset += 16 * 1024)
            {
                await stream.WriteAsync(body.AsMemory(offset, Math.Min(16 * 1024, body.Length - offset)));
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = -1;
            return false;
        }
    }
}
