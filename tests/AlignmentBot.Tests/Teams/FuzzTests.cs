using System.Collections.Concurrent;
using System.Net;
using System.Text;
using AlignmentBot.Bot.Teams.Connector;
using AlignmentBot.Tests.Support;
using AlignmentBot.Tests.Teams.Auth;
using AlignmentBot.Tests.Teams.Connector;
using AlignmentBot.Tests.Teams.Fakes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AlignmentBot.Tests.Teams;

/// <summary>
/// 10,000 mutations of the recorded Teams activities, sent without a valid token and then with one, in-process:
/// never a 5xx, never an exception, and nothing written for any that was not authenticated.
/// </summary>
public class FuzzTests
{
    private const int Mutations = 10_000;
    private const int Seed = 1515;
    private const string AppId = "c9e8c047-2a74-40a2-b28a-b162d5f5327c";
    private static readonly string[] Payloads =
        ["action-submit", "adaptive-card-action-invoke", "bot-added-to-team", "channel-mention", "personal-install", "personal-message", "personal-uninstall"];

    [Test]
    public async Task Mutated_activities_never_get_a_5xx_or_an_exception_and_unauthenticated_ones_write_nothing()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var identity = await FakeBotFrameworkIdentity.StartAsync();
        await using var connector = await FakeBotConnector.StartAsync();
        var errors = new LogCapture();
        await using var bot = new BotFactory(database, new Dictionary<string, string?>
        {
            ["Teams:AppId"] = AppId,
            ["Teams:AppPassword"] = "client-secret",
            ["Teams:TenantId"] = "72f988bf-86f1-41af-91ab-2d7cd011db47",
            ["Teams:OpenIdMetadataUrl"] = identity.MetadataUrl,
            ["Teams:AllowedServiceUrlHosts:0"] = "127.0.0.1",
            ["Logging:LogLevel:Default"] = "Warning",
        });
        using var client = bot.WithWebHostBuilder(web =>
        {
            web.ConfigureLogging(logging => logging.AddProvider(errors).AddFilter<LogCapture>(level => level >= LogLevel.Error));
            web.ConfigureTestServices(services => services.AddSingleton<IBotTokenProvider>(new StaticTokenProvider("outbound-token")));
        }).CreateClient();

        var originals = Payloads.Select(p => TeamsPayloads.Json(p, connector.ServiceUrl)).ToArray();
        var mutator = new ActivityMutator(Seed);
        var bodies = Enumerable.Range(0, Mutations).Select(i => mutator.Mutate(originals[i % originals.Length])).ToArray();
        var now = TimeProvider.System.GetUtcNow();
        string[] refused =
        [
            "",
            "Bearer garbage",
            "Bearer " + identity.IssueToken(AppId, connector.ServiceUrl, now.AddHours(-3), lifetime: TimeSpan.FromMinutes(30)),
            "Bearer " + identity.IssueToken(AppId, connector.ServiceUrl, now, key: identity.Publish("webchat")),
            "Bearer " + identity.IssueToken(AppId, connector.ServiceUrl, now, key: FakeBotFrameworkIdentity.NewKey()),
        ];
        var valid = "Bearer " + identity.IssueToken(AppId, connector.ServiceUrl, now, lifetime: TimeSpan.FromHours(2));

        var unauthenticated = await SendAllAsync(client, bodies, i => refused[i % refused.Length], unauthenticated: true);
        var rowsAfterUnauthenticated = await AppRows.CountAsync(database);
        var authenticated = await SendAllAsync(client, bodies, _ => valid, unauthenticated: false);

        Assert.Multiple(() =>
        {
            Assert.That(unauthenticated.Failures, Is.Empty, $"seed {Seed}");
            // 413: too large to read at all; 400: the Bot Framework really signed the token (for Web Chat) but the body is not JSON.
            Assert.That(unauthenticated.Statuses.Keys, Is.SubsetOf(new[] { 400, 401, 413 }), "without a valid Teams token: refused, whatever the body");
            Assert.That(rowsAfterUnauthenticated, Is.Zero, "nothing was written for any unauthenticated request");
            Assert.That(authenticated.Failures, Is.Empty, $"seed {Seed}");
            Assert.That(authenticated.Statuses.Keys, Has.All.LessThan(500), string.Join(", ", authenticated.Statuses.Select(s => $"{s.Key}×{s.Value}")));
            Assert.That(authenticated.Statuses.GetValueOrDefault(200), Is.GreaterThan(Mutations / 10), "a fair share still got through to the turn: the fuzz reached the code");
            Assert.That(errors.Entries.Select(e => e.Message), Is.Empty, "no error logged, no unhandled exception");
        });
        TestContext.Out.WriteLine("authenticated: " + string.Join(", ", authenticated.Statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}×{s.Value}")));
    }

    private sealed record Outcome(ConcurrentDictionary<int, int> Statuses, ConcurrentBag<string> Failures);

    private static async Task<Outcome> SendAllAsync(HttpClient client, string[] bodies, Func<int, string> authorization, bool unauthenticated)
    {
        var outcome = new Outcome(new ConcurrentDictionary<int, int>(), []);
        await Parallel.ForEachAsync(Enumerable.Range(0, bodies.Length), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, ct) =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/messages") { Content = new StringContent(bodies[i], Encoding.UTF8, "application/json") };
            if (authorization(i) is { Length: > 0 } header)
            {
                request.Headers.TryAddWithoutValidation("Authorization", header);
            }

            try
            {
                using var response = await client.SendAsync(request, ct);
                outcome.Statuses.AddOrUpdate((int)response.StatusCode, 1, (_, n) => n + 1);
                if (response.StatusCode >= HttpStatusCode.InternalServerError || (unauthenticated && response.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.BadRequest or HttpStatusCode.RequestEntityTooLarge)))
                {
                    outcome.Failures.Add($"{(int)response.StatusCode} for mutation {i}: {Shorten(bodies[i])}");
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                outcome.Failures.Add($"{ex.GetType().Name} for mutation {i}: {ex.Message} — {Shorten(bodies[i])}");
            }
        });
        return outcome;
    }

    private static string Shorten(string body) => body.Length <= 600 ? body : body[..600] + "…";
}
