using System.Net;
using AlignmentBot.Bot.Teams.Connector;
using AlignmentBot.Bot.Teams.Protocol;
using AlignmentBot.Tests.Support;
using AlignmentBot.Tests.Teams.Fakes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AlignmentBot.Tests.Teams.Connector;

/// <summary>What is retried (412, 502, 503, 504), what is not, and what goes back to the caller.</summary>
public class ConnectorRetryTests
{
    private static readonly Activity Message = new() { Type = ActivityTypes.Message, Text = "Check-in due" };

    [TestCase(412)]
    [TestCase(502)]
    [TestCase(503)]
    [TestCase(504)]
    public async Task A_transient_failure_is_retried_until_the_send_succeeds(int status)
    {
        await using var fake = await FakeBotConnector.StartAsync();
        fake.RespondNext(2, FakeReply.WithStatus(status));
        using var host = ConnectorHost.Local();

        var result = await host.Client.SendAsync(fake.ServiceUrl, "a:chat", Message);

        Assert.Multiple(() =>
        {
            Assert.That(result.IsSuccess, Is.True, result.ToString());
            Assert.That(fake.Requests.Select(r => r.Status), Is.EqualTo(new[] { status, status, 201 }));
            Assert.That(fake.Activities, Has.Count.EqualTo(1), "the activity arrived once");
            Assert.That(fake.Requests.Select(r => r.Body).Distinct().Count(), Is.EqualTo(1), "every attempt carried the same body");
        });
    }

    [Test]
    public async Task Retrying_stops_after_the_configured_number_and_returns_the_last_answer()
    {
        await using var fake = await FakeBotConnector.StartAsync();
        fake.RespondNext(10, FakeReply.Error(503, "ServiceUnavailable", "try later"));
        using var host = ConnectorHost.Local(settings: new Dictionary<string, string?> { ["Teams:Connector:MaxRetries"] = "2" });

        var result = await host.Client.SendAsync(fake.ServiceUrl, "a:chat", Message);

        Assert.Multiple(() =>
        {
            Assert.That(fake.RequestCount, Is.EqualTo(3), "one attempt and two retries");
            Assert.That(result.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(result.ErrorCode, Is.EqualTo("ServiceUnavailable"));
            Assert.That(host.Logs.Entries.Count(e => e.Message.Contains("answered 503; retry", StringComparison.Ordinal)), Is.EqualTo(2), "each retry is logged");
        });
    }

    [TestCase(400)]
    [TestCase(401)]
    [TestCase(403)]
    [TestCase(404)]
    [TestCase(500)]
    public async Task Any_other_failure_is_returned_without_retrying(int status)
    {
        await using var fake = await FakeBotConnector.StartAsync();
        fake.RespondNext(1, FakeReply.Error(status, "SomeError", "no"));
        using var host = ConnectorHost.Local();

        var result = await host.Client.SendAsync(fake.ServiceUrl, "a:chat", Message);

        Assert.Multiple(() =>
        {
            Assert.That(fake.RequestCount, Is.EqualTo(1));
            Assert.That((int?)result.StatusCode, Is.EqualTo(status));
            Assert.That(result.IsSuccess, Is.False);
        });
    }

    [Test]
    public async Task Message_writes_blocked_surfaces_its_error_code()
    {
        await using var fake = await FakeBotConnector.StartAsync();
        fake.RespondNext(1, FakeReply.MessageWritesBlocked(), r => r.ConversationId == "a:removed");
        using var host = ConnectorHost.Local();

        var blocked = await host.Client.SendAsync(fake.ServiceUrl, "a:removed", Message);
        var other = await host.Client.SendAsync(fake.ServiceUrl, "a:other", Message);

        Assert.Multiple(() =>
        {
            Assert.That(blocked.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(blocked.ErrorCode, Is.EqualTo(ConnectorErrorCodes.MessageWritesBlocked));
            Assert.That(blocked.ErrorMessage, Is.EqualTo("Bot is not allowed to send messages to this conversation."));
            Assert.That(other.IsSuccess, Is.True, "the script only applied to a:removed");
            Assert.That(fake.RequestCount, Is.EqualTo(2));
        });
    }

    [Test]
    public async Task A_user_who_blocked_the_bot_surfaces_its_error_code_when_creating_the_chat()
    {
        await using var fake = await FakeBotConnector.StartAsync();
        fake.RespondNext(1, FakeReply.ConversationBlockedByUser(), r => r.Operation == FakeOperation.CreateConversation);
        using var host = ConnectorHost.Local();

        var result = await host.Client.CreatePersonalConversationAsync(fake.ServiceUrl, ConnectorHost.TenantId, ConnectorHost.AppId, "29:user");

        Assert.That(result.ErrorCode, Is.EqualTo(ConnectorErrorCodes.ConversationBlockedByUser));
        Assert.That(result.Value, Is.Null);
    }

    [Test]
    public async Task Throttling_returns_the_retry_after_to_the_caller_without_retrying()
    {
        await using var fake = await FakeBotConnector.StartAsync();
        fake.RespondNext(1, FakeReply.TooManyRequests(TimeSpan.FromSeconds(7)));
        using var host = ConnectorHost.Local();

        var result = await host.Client.SendAsync(fake.ServiceUrl, "a:chat", Message);

        Assert.Multiple(() =>
        {
            Assert.That(result.IsThrottled, Is.True);
            Assert.That(result.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
            Assert.That(result.RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(7)));
            Assert.That(fake.RequestCount, Is.EqualTo(1), "pacing belongs to the caller, not to the retry handler");
        });
    }

    [Test]
    public async Task A_retry_after_given_as_a_date_becomes_the_wait_from_now()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
        await using var fake = await FakeBotConnector.StartAsync();
        fake.RespondNext(1, FakeReply.TooManyRequestsUntil(time.GetUtcNow().AddSeconds(90)));
        using var host = ConnectorHost.Local(services => services.AddSingleton<TimeProvider>(time));

        var result = await host.Client.SendAsync(fake.ServiceUrl, "a:chat", Message);

        Assert.That(result.RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(90)));
    }

    [Test]
    public async Task Backoff_waits_on_the_injected_time_provider()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
        await using var fake = await FakeBotConnector.StartAsync();
        fake.RespondNext(2, FakeReply.WithStatus(503));
        // Real waits this long would blow the deadline below: only the fake clock can get through them.
        using var host = ConnectorHost.Local(
            services => services.AddSingleton<TimeProvider>(time),
            new Dictionary<string, string?> { ["Teams:Connector:RetryBaseDelay"] = "00:00:30", ["Teams:Connector:MaxRetryDelay"] = "00:01:00" });

        var send = host.Client.SendAsync(fake.ServiceUrl, "a:chat", Message);
        await Eventually.ValueAsync(() => Task.FromResult(fake.RequestCount), count => count == 1, TimeSpan.FromSeconds(10), "the first attempt");
        Assert.That(send.IsCompleted, Is.False, "the retry is waiting for its backoff");

        // Each poll moves the clock by the longest backoff; the retries follow the clock, not the wall.
        await Eventually.ValueAsync(
            () =>
            {
                time.Advance(TimeSpan.FromMinutes(1));
                return Task.FromResult(send.IsCompleted);
            },
            done => done, TimeSpan.FromSeconds(10), "the retries to run on the fake clock");

        var result = await send;
        Assert.That(result.IsSuccess, Is.True, result.ToString());
        Assert.That(fake.RequestCount, Is.EqualTo(3));
    }

    [Test]
    public async Task Retries_can_be_turned_off()
    {
        await using var fake = await FakeBotConnector.StartAsync();
        fake.RespondNext(1, FakeReply.WithStatus(502));
        using var host = ConnectorHost.Local(settings: new Dictionary<string, string?> { ["Teams:Connector:MaxRetries"] = "0" });

        var result = await host.Client.SendAsync(fake.ServiceUrl, "a:chat", Message);

        Assert.That(result.StatusCode, Is.EqualTo(HttpStatusCode.BadGateway));
        Assert.That(fake.RequestCount, Is.EqualTo(1));
    }
}
