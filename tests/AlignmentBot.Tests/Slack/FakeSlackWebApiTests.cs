using System.Net;
using System.Text.Json.Nodes;
using AlignmentBot.Bot.Slack;
using AlignmentBot.Tests.Slack.Fakes;
using Microsoft.Extensions.Time.Testing;

namespace AlignmentBot.Tests.Slack;

/// <summary>The fake speaks Slack's shapes: ok:false errors on HTTP 200, 429 with Retry-After, cursor paging.</summary>
public class FakeSlackWebApiTests
{
    private FakeTimeProvider _clock = null!;
    private FakeSlackWebApi _fake = null!;
    private HttpClient _http = null!;
    private SlackWebApi _api = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 6, 9, 0, 0, TimeSpan.Zero));
        _fake = await FakeSlackWebApi.StartAsync(_clock);
        _http = new HttpClient { BaseAddress = _fake.BaseAddress };
        _api = new SlackWebApi(_http, _clock);
    }

    [TearDown]
    public async Task StopAsync()
    {
        _http.Dispose();
        await _fake.DisposeAsync();
    }

    private static JsonObject Message(string channel) => new() { ["channel"] = channel, ["text"] = "hi" };

    [Test]
    public async Task A_wrong_token_is_an_ok_false_on_http_200()
    {
        var result = await _api.PostMessageAsync("xoxb-wrong", Message("C1"), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(result.Ok, Is.False);
            Assert.That(result.Error, Is.EqualTo("invalid_auth"));
        });
    }

    [Test]
    public async Task A_second_message_to_a_channel_within_a_second_is_a_429_with_retry_after()
    {
        var first = await _api.PostMessageAsync(_fake.BotToken, Message("C1"), CancellationToken.None);
        var other = await _api.PostMessageAsync(_fake.BotToken, Message("C2"), CancellationToken.None);
        var second = await _api.PostMessageAsync(_fake.BotToken, Message("C1"), CancellationToken.None);
        _clock.Advance(TimeSpan.FromSeconds(1));
        var later = await _api.PostMessageAsync(_fake.BotToken, Message("C1"), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(first.Ok && other.Ok && later.Ok, Is.True);
            Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
            Assert.That(second.RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(1)));
        });
    }

    [Test]
    public async Task The_workspace_budget_throttles_across_channels()
    {
        _fake.Limits.WorkspacePerSecond = 3;
        var results = new List<SlackApiResult>();
        for (var i = 0; i < 4; i++)
        {
            results.Add(await _api.PostMessageAsync(_fake.BotToken, Message($"C{i}"), CancellationToken.None));
        }

        Assert.That(results.Select(r => r.StatusCode), Is.EqualTo(new HttpStatusCode?[] { HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests }));
    }

    [Test]
    public async Task Users_list_pages_with_a_cursor_until_it_is_empty()
    {
        _fake.Users.AddRange(Enumerable.Range(1, 450).Select(i => new JsonObject { ["id"] = $"U{i:000}", ["tz"] = "Europe/Berlin" }));
        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await _api.UsersListAsync(_fake.BotToken, cursor, 200, CancellationToken.None);
            pages++;
            seen.AddRange(((JsonArray)JsonNode.Parse(page.Body.GetRawText())!["members"]!).Select(m => (string)m!["id"]!));
            cursor = page.GetString("response_metadata", "next_cursor");
        }
        while (!string.IsNullOrEmpty(cursor));

        Assert.Multiple(() =>
        {
            Assert.That(pages, Is.EqualTo(3));
            Assert.That(seen, Is.Unique.And.Count.EqualTo(450));
        });
    }

    [Test]
    public async Task A_methods_tier_answers_429_with_the_seconds_until_a_call_leaves_the_minute()
    {
        _fake.Limits.PerMinute["users.list"] = 2;
        var first = await _api.UsersListAsync(_fake.BotToken, null, 200, CancellationToken.None);
        _clock.Advance(TimeSpan.FromSeconds(20));
        var second = await _api.UsersListAsync(_fake.BotToken, null, 200, CancellationToken.None);
        var third = await _api.UsersListAsync(_fake.BotToken, null, 200, CancellationToken.None);
        var otherMethod = await _api.AuthTestAsync(_fake.BotToken, CancellationToken.None);
        _clock.Advance(TimeSpan.FromSeconds(40));
        var later = await _api.UsersListAsync(_fake.BotToken, null, 200, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(first.Ok && second.Ok && otherMethod.Ok && later.Ok, Is.True);
            Assert.That(third.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
            Assert.That(third.RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(40)), "the first call leaves the minute 40 s later");
        });
    }

    [Test]
    public async Task A_revoked_token_is_token_revoked_and_an_unknown_one_invalid_auth_on_every_method()
    {
        _fake.RevokedTokens.Add(_fake.BotToken);
        var revoked = await _api.UsersListAsync(_fake.BotToken, null, 200, CancellationToken.None);
        var auth = await _api.AuthTestAsync(_fake.BotToken, CancellationToken.None);
        var unknown = await _api.UsersListAsync("xoxb-unknown", null, 200, CancellationToken.None);

        Assert.That(new[] { revoked.Error, auth.Error, unknown.Error }, Is.EqualTo(new[] { "token_revoked", "token_revoked", "invalid_auth" }));
    }

    [Test]
    public async Task Updating_a_message_that_does_not_exist_is_message_not_found()
    {
        var result = await _api.UpdateAsync(_fake.BotToken, new JsonObject { ["channel"] = "C1", ["ts"] = "1.2", ["text"] = "x" }, CancellationToken.None);

        Assert.That(result.Error, Is.EqualTo("message_not_found"));
    }
}
