using System.Net;
using System.Net.Http.Json;
using AlignmentBot.Tests.Teams.Fakes;
using Microsoft.Extensions.Time.Testing;

namespace AlignmentBot.Tests.Fakes;

/// <summary>The fake connector's Teams limits: the benchmarks and delivery tests are only as honest as these.</summary>
public class FakeTeamsLimitsTests
{
    private FakeTimeProvider _clock = null!;
    private FakeBotConnector _connector = null!;
    private FakeTeamsLimits _limits = null!;
    private HttpClient _http = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero));
        _connector = await FakeBotConnector.StartAsync(time: _clock);
        _limits = new FakeTeamsLimits(_clock) { Latency = TimeSpan.Zero }.AttachTo(_connector);
        _http = new HttpClient { BaseAddress = new Uri(_connector.ServiceUrl) };
    }

    [TearDown]
    public async Task StopAsync()
    {
        _http.Dispose();
        await _connector.DisposeAsync();
    }

    private async Task<HttpResponseMessage> SendAsync(string conversation) =>
        await _http.PostAsJsonAsync($"v3/conversations/{conversation}/activities", new { type = "message", text = "hi" });

    [Test]
    public async Task The_51st_request_of_a_tenant_in_one_second_gets_429_with_Retry_After()
    {
        for (var i = 0; i < 50; i++)
        {
            using var ok = await SendAsync($"c-{i}");
            Assert.That(ok.StatusCode, Is.EqualTo(HttpStatusCode.Created).Or.EqualTo(HttpStatusCode.OK), $"request {i + 1}");
        }

        using var over = await SendAsync("c-50");
        Assert.That(over.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
        Assert.That(over.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(1)));

        _clock.Advance(TimeSpan.FromSeconds(1));
        using var later = await SendAsync("c-51");
        Assert.That(later.IsSuccessStatusCode, Is.True, "the window slid on");
        Assert.That(_limits.Violations, Is.EqualTo(1));
        Assert.That(_connector.ThrottledCount, Is.EqualTo(1));
    }

    [Test]
    public async Task The_8th_message_to_one_conversation_in_a_second_gets_429()
    {
        for (var i = 0; i < 7; i++)
        {
            using var ok = await SendAsync("busy");
            Assert.That(ok.IsSuccessStatusCode, Is.True, $"message {i + 1}");
        }

        using var over = await SendAsync("busy");
        using var other = await SendAsync("quiet");

        Assert.That(over.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
        Assert.That(other.IsSuccessStatusCode, Is.True, "another conversation is not held back");
    }

    [Test]
    public async Task The_61st_message_to_one_conversation_in_30_seconds_gets_429()
    {
        for (var i = 0; i < 60; i++)
        {
            using var ok = await SendAsync("channel");
            Assert.That(ok.IsSuccessStatusCode, Is.True, $"message {i + 1}");
            _clock.Advance(TimeSpan.FromMilliseconds(400)); // 2.5/s: under the per-second limit
        }

        using var over = await SendAsync("channel"); // 24 s after the first
        Assert.That(over.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));

        _clock.Advance(TimeSpan.FromSeconds(7));
        using var later = await SendAsync("channel");
        Assert.That(later.IsSuccessStatusCode, Is.True, "30 s after the first, room again");
    }

    [Test]
    public async Task Each_recipient_count_is_what_their_chat_received()
    {
        var created = await _http.PostAsJsonAsync("v3/conversations", new
        {
            isGroup = false,
            bot = new { id = "28:bot" },
            members = new[] { new { id = "29:ada" } },
            tenantId = "t",
        });
        var id = (await created.Content.ReadFromJsonAsync<Dictionary<string, object>>())!["id"].ToString()!;
        (await SendAsync(id)).Dispose();
        (await SendAsync(id)).Dispose();

        Assert.That(_connector.ReceivedPerUser(), Is.EqualTo(new Dictionary<string, int> { ["29:ada"] = 2 }));
    }
}
