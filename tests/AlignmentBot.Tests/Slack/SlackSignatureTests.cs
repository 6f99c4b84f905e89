using System.Text;
using AlignmentBot.Bot.Slack;

namespace AlignmentBot.Tests.Slack;

/// <summary>The v0 signature check on its own, with the example from Slack's documentation.</summary>
public class SlackSignatureTests
{
    // Slack's documented example ("Verifying requests from Slack"): this secret, timestamp and body give this signature.
    private const string DocSecret = "8f742231b10e8888abcd99yyyzzz85a5";
    private const string DocTimestamp = "1531420618";
    private const string DocBody = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
    private const string DocSignature = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";

    private static readonly DateTimeOffset DocNow = DateTimeOffset.FromUnixTimeSeconds(1531420618);
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(5);

    private static string? Check(string? timestamp, string? signature, string body, DateTimeOffset now, string secret = DocSecret) =>
        SlackSignature.Check(secret, timestamp, signature, Encoding.UTF8.GetBytes(body), now, Window);

    [Test]
    public void Slacks_documented_example_verifies_and_signs_the_same()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Check(DocTimestamp, DocSignature, DocBody, DocNow), Is.Null);
            Assert.That(SlackSignature.Sign(DocSecret, DocTimestamp, Encoding.UTF8.GetBytes(DocBody)), Is.EqualTo(DocSignature));
        });
    }

    [Test]
    public void The_window_is_five_minutes_either_way_inclusive()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Check(DocTimestamp, DocSignature, DocBody, DocNow.AddSeconds(300)), Is.Null);
            Assert.That(Check(DocTimestamp, DocSignature, DocBody, DocNow.AddSeconds(-300)), Is.Null);
            Assert.That(Check(DocTimestamp, DocSignature, DocBody, DocNow.AddSeconds(301)), Is.EqualTo("stale X-Slack-Request-Timestamp"));
            Assert.That(Check(DocTimestamp, DocSignature, DocBody, DocNow.AddSeconds(-301)), Is.EqualTo("X-Slack-Request-Timestamp in the future"));
        });
    }

    [TestCase(null, DocSignature)]
    [TestCase(DocTimestamp, null)]
    [TestCase("01531420618", DocSignature)]
    [TestCase("+1531420618", DocSignature)]
    [TestCase("1531420618.0", DocSignature)]
    [TestCase("", DocSignature)]
    [TestCase(DocTimestamp, "v0=A2114D57B48EAC39B9AD189DD8316235A7B4A8D21A10BD27519666489C69B503")]
    [TestCase(DocTimestamp, "v1=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503")]
    [TestCase(DocTimestamp, "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b50")]
    [TestCase(DocTimestamp, "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503=")]
    [TestCase(DocTimestamp, "a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503")]
    public void Malformed_or_missing_headers_are_refused(string? timestamp, string? signature)
    {
        Assert.That(Check(timestamp, signature, DocBody, DocNow), Is.Not.Null);
    }

    [Test]
    public void A_changed_body_or_another_secret_is_refused()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Check(DocTimestamp, DocSignature, DocBody + "&x=1", DocNow), Is.EqualTo("signature mismatch"));
            Assert.That(Check(DocTimestamp, DocSignature, DocBody, DocNow, secret: "another-secret-entirely"), Is.EqualTo("signature mismatch"));
        });
    }

    [Test]
    public void A_body_that_is_not_utf8_is_refused_even_when_its_bytes_were_signed()
    {
        byte[] body = [(byte)'{', 0xC3, 0x28, (byte)'}'];
        var signature = SlackSignature.Sign(DocSecret, DocTimestamp, body);

        Assert.That(SlackSignature.Check(DocSecret, DocTimestamp, signature, body, DocNow, Window), Is.EqualTo("body is not UTF-8"));
    }
}
