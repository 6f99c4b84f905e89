using System.Net;
using System.Text.Json;
using AlignmentBot.Bot.Delivery;
using AlignmentBot.Bot.Slack;

namespace AlignmentBot.Tests.Slack;

/// <summary>Slack's answers in the outbox's terms (HTTP 200 with ok:false is most of them).</summary>
public class SlackTransportTests
{
    private static SlackApiResult Error(string error, HttpStatusCode status = HttpStatusCode.OK) =>
        new() { StatusCode = status, Ok = false, Error = error, Body = JsonSerializer.SerializeToElement(new { ok = false, error }) };

    [TestCase("channel_not_found", SendStatus.Unreachable)]
    [TestCase("not_in_channel", SendStatus.Unreachable)]
    [TestCase("is_archived", SendStatus.Unreachable)]
    [TestCase("user_not_found", SendStatus.Unreachable)]
    [TestCase("account_inactive", SendStatus.Failed)]
    [TestCase("invalid_auth", SendStatus.Failed)]
    [TestCase("token_revoked", SendStatus.Failed)]
    [TestCase("invalid_blocks", SendStatus.Failed)]
    [TestCase("msg_too_long", SendStatus.Failed)]
    [TestCase("internal_error", SendStatus.Retry)]
    [TestCase("service_unavailable", SendStatus.Retry)]
    [TestCase("ratelimited", SendStatus.Throttled)]
    public void An_ok_false_error_maps_to_what_the_outbox_does(string error, SendStatus expected)
    {
        var mapped = SlackTransport.Map(Error(error));

        Assert.Multiple(() =>
        {
            Assert.That(mapped.Status, Is.EqualTo(expected));
            Assert.That(mapped.Error, Is.EqualTo($"slack {error}"));
        });
    }

    [Test]
    public void A_429_is_throttled_with_its_retry_after_and_a_5xx_or_no_answer_is_retried()
    {
        var throttled = SlackTransport.Map(new SlackApiResult { StatusCode = HttpStatusCode.TooManyRequests, Error = "ratelimited", RetryAfter = TimeSpan.FromSeconds(7) });

        Assert.Multiple(() =>
        {
            Assert.That(throttled.Status, Is.EqualTo(SendStatus.Throttled));
            Assert.That(throttled.RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(7)));
            Assert.That(SlackTransport.Map(new SlackApiResult { StatusCode = HttpStatusCode.BadGateway, Error = "http 502" }).Status, Is.EqualTo(SendStatus.Retry));
            Assert.That(SlackTransport.Map(SlackApiResult.NoResponse("no answer: timed out")).Status, Is.EqualTo(SendStatus.Retry));
        });
    }

    [Test]
    public void Ok_is_sent_with_the_channel_and_ts_slack_answered()
    {
        var sent = SlackTransport.Map(new SlackApiResult
        {
            StatusCode = HttpStatusCode.OK, Ok = true,
            Body = JsonSerializer.SerializeToElement(new { ok = true, channel = "D0ALICE", ts = "1700000001.000100" }),
        });

        Assert.Multiple(() =>
        {
            Assert.That(sent.Status, Is.EqualTo(SendStatus.Sent));
            Assert.That(sent.ConversationId, Is.EqualTo("D0ALICE"));
            Assert.That(sent.MessageId, Is.EqualTo("1700000001.000100"));
        });
    }
}
