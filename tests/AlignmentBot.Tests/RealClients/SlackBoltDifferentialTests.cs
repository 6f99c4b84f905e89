using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using AlignmentBot.Bot.Slack;
using AlignmentBot.Tests.Slack;
using AlignmentBot.Tests.Support;

namespace AlignmentBot.Tests.RealClients;

/// <summary>
/// Our request check against Slack's own: the same few hundred requests (valid, stale, future, tampered body, wrong
/// secret, missing or malformed headers, odd encodings) go to POST /slack/events and to the official
/// <c>@slack/bolt</c> 5.1.0 <c>isValidSlackRequest</c> (tests/clients/slack-verify.cjs). Every request Bolt refuses,
/// we refuse (401); we also refuse timestamps more than five minutes in the future, which Bolt lets through.
/// </summary>
public class SlackBoltDifferentialTests
{
    private sealed record Case(string Kind, string? Timestamp, string? Signature, byte[] Body);

    private static readonly string[] Bodies =
    [
        """{"type":"url_verification","challenge":"abc"}""",
        """{"token":"t","team_id":"T0FAKE","event":{"type":"app_mention","text":"<@U0BOT> help"},"type":"event_callback","event_id":"Ev1"}""",
        "payload=%7B%22type%22%3A%22block_actions%22%7D",
        "command=%2Falignment&text=okrs+team&team_id=T0FAKE&user_id=U1&channel_id=C1",
        """{"type":"url_verification","challenge":"Grüße — 日本語 — 🎉"}""",
        "\uFEFF{\"type\":\"url_verification\",\"challenge\":\"bom\"}",
        "{\"type\":\"url_verification\",\"challenge\":\"line\\r\\nbreaks\"}\r\n",
        "",
    ];

    private static IEnumerable<Case> Cases(long now)
    {
        var random = new Random(20261127);
        string Ts(long seconds) => seconds.ToString(CultureInfo.InvariantCulture);
        byte[] Body() => Encoding.UTF8.GetBytes(Bodies[random.Next(Bodies.Length)]);
        string Sign(string ts, byte[] body, string secret = SlackHarness.SigningSecret) => SlackSignature.Sign(secret, ts, body);

        for (var i = 0; i < 80; i++)
        {
            var ts = Ts(now + random.Next(-300, 301));
            var body = Body();
            yield return new Case("valid", ts, Sign(ts, body), body);
        }

        for (var i = 0; i < 40; i++)
        {
            var ts = Ts(now - 301 - random.Next(0, 100_000));
            var body = Body();
            yield return new Case("stale", ts, Sign(ts, body), body);
        }

        for (var i = 0; i < 40; i++)
        {
            var ts = Ts(now + 301 + random.Next(0, 100_000));
            var body = Body();
            yield return new Case("future", ts, Sign(ts, body), body);
        }

        for (var i = 0; i < 50; i++)
        {
            var ts = Ts(now + random.Next(-60, 61));
            var body = Body();
            var sent = body.Length == 0 ? [(byte)' '] : body.ToArray();
            sent[random.Next(sent.Length)] ^= (byte)(1 << random.Next(7));
            yield return new Case("tampered body", ts, Sign(ts, body), sent);
        }

        for (var i = 0; i < 30; i++)
        {
            var ts = Ts(now);
            var body = Body();
            yield return new Case("wrong secret", ts, Sign(ts, body, $"another-apps-secret-{i}"), body);
        }

        var canonical = Ts(now);
        var valid = Body();
        var signature = Sign(canonical, valid);
        yield return new Case("missing headers", null, signature, valid);
        yield return new Case("missing headers", canonical, null, valid);
        yield return new Case("missing headers", null, null, valid);

        string[] odd = ["0" + canonical, "+" + canonical, canonical + ".0", canonical + "e0", "0x" + now.ToString("x", CultureInfo.InvariantCulture),
            "-" + canonical, canonical + "0", "", "abc", canonical[..5], "1.7e9", canonical + "\t1"];
        foreach (var ts in odd)
        {
            // Signed both over the odd header and over the plain number a lenient parser would read it as.
            yield return new Case("malformed timestamp", ts, Sign(ts, valid), valid);
            yield return new Case("malformed timestamp", ts, Sign(canonical, valid), valid);
        }

        var hex = signature[3..];
        string[] badSignatures = ["v0=" + hex.ToUpperInvariant(), "V0=" + hex, "v1=" + hex, hex, "v0:" + hex, "v0=" + hex[..63], "v0=" + hex + "0",
            "v0=" + hex + "=x", "v0=" + hex + "=", "v0==" + hex, "v0", "v0=", "", "=" + hex, "v0=" + hex[1..] + "g", "v0=" + new string('0', 64)];
        foreach (var bad in badSignatures)
        {
            yield return new Case("malformed signature", canonical, bad, valid);
        }

        byte[][] encodings =
        [
            [(byte)'{', 0xC3, 0x28, (byte)'}'],              // invalid continuation
            [(byte)'{', 0xC0, 0xAF, (byte)'}'],              // overlong "/"
            [(byte)'{', 0xED, 0xA0, 0x80, (byte)'}'],        // a UTF-16 surrogate encoded as UTF-8
            [(byte)'{', 0xF4, 0x90, 0x80, 0x80, (byte)'}'],  // beyond U+10FFFF
            [0xFF, 0xFE, (byte)'{', 0, (byte)'}', 0],         // UTF-16LE with its BOM
            [(byte)'a', 0x80],                                // a lone continuation byte
            [(byte)'{', 0, (byte)'}'],                        // NUL is valid UTF-8
            Encoding.UTF8.GetBytes("{\"challenge\":\"\u00e9\u0301\"}"),
            Encoding.Latin1.GetBytes("{\"challenge\":\"caf\u00e9\"}"),
        ];
        foreach (var body in encodings)
        {
            for (var i = 0; i < 4; i++)
            {
                var ts = Ts(now + random.Next(-100, 101));
                yield return new Case("odd encoding", ts, Sign(ts, body), body);
            }
        }
    }

    [Test]
    public async Task Every_request_bolt_refuses_we_refuse_and_we_also_refuse_the_future()
    {
        await using var harness = await SlackHarness.StartAsync();
        var now = harness.Clock.GetUtcNow().ToUnixTimeSeconds();
        var cases = Cases(now).ToList();

        var file = Path.Combine(Path.GetTempPath(), $"slack-cases-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, JsonSerializer.Serialize(new
        {
            secret = SlackHarness.SigningSecret,
            cases = cases.Select(c => new { timestamp = c.Timestamp, signature = c.Signature, body = Convert.ToBase64String(c.Body), nowMs = now * 1000 }),
        }));
        bool[] bolt;
        try
        {
            using var verdicts = await NodeClients.RunJsonAsync("slack-verify.cjs", file);
            bolt = verdicts.RootElement.EnumerateArray().Select(v => v.GetBoolean()).ToArray();
        }
        finally
        {
            File.Delete(file);
        }

        var ours = new List<bool>();
        foreach (var c in cases)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, SlackEventsEndpoint.Path) { Content = new ByteArrayContent(c.Body) };
            if (c.Timestamp is not null)
            {
                request.Headers.TryAddWithoutValidation(SlackSignature.TimestampHeader, c.Timestamp);
            }

            if (c.Signature is not null)
            {
                request.Headers.TryAddWithoutValidation(SlackSignature.SignatureHeader, c.Signature);
            }

            using var response = await harness.Client.SendAsync(request);
            ours.Add(response.StatusCode != HttpStatusCode.Unauthorized);
        }

        var rows = cases.Select((c, i) => (c.Kind, Bolt: bolt[i], Ours: ours[i], c.Timestamp, c.Signature)).ToList();
        foreach (var kind in rows.GroupBy(r => r.Kind))
        {
            await TestContext.Out.WriteLineAsync($"{kind.Key,-20} n={kind.Count(),3}  bolt accepts {kind.Count(r => r.Bolt),3}  we accept {kind.Count(r => r.Ours),3}");
        }

        Assert.Multiple(() =>
        {
            Assert.That(cases, Has.Count.GreaterThanOrEqualTo(300));
            Assert.That(rows.Where(r => !r.Bolt && r.Ours).Select(r => $"{r.Kind}: ts={r.Timestamp} sig={r.Signature}"), Is.Empty,
                "requests Bolt refuses that we let through");
            Assert.That(rows.Where(r => r.Kind == "future").Select(r => r.Bolt), Has.All.True, "Bolt lets future timestamps through");
            Assert.That(rows.Where(r => r.Kind == "future").Select(r => r.Ours), Has.All.False, "we refuse them");
            Assert.That(rows.Where(r => r.Kind == "valid").Select(r => (r.Bolt, r.Ours)), Has.All.EqualTo((true, true)), "genuine requests pass both");
            Assert.That(rows.Where(r => r.Kind is "stale" or "tampered body" or "wrong secret" or "missing headers").Select(r => r.Bolt), Has.All.False,
                "Bolt refuses what it should (the comparison is not vacuous)");
        });
    }
}
