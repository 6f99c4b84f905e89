using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using AlignmentBot.Bench.Fanout;
using AlignmentBot.Scheduler.Delivery;
using AlignmentBot.Scheduler.Pulses;
using AlignmentBot.Tests.Support;
using AlignmentBot.Tests.Teams.Auth;
using AlignmentBot.Tests.Teams.Fakes;
using Dapper;

namespace AlignmentBot.Bench.Ingest;

/// <summary>
/// The 10:00 spike: 5,000 people of one tenant answer an open pulse at once — each one Action.Execute invoke
/// through the real /api/messages (token verified, turn recorded, answers written under their HMAC key, the
/// card returned) — as fast as 64 connections allow, against the Release bot as its own process.
/// </summary>
public sealed class SpikeBench(string server, TextWriter log)
{
    private const int People = 5_000;
    private const int Connections = 64;

    public async Task<int> RunAsync()
    {
        await using var database = await FanoutDatabase.CreateAsync(server);
        await using var connector = await FakeBotConnector.StartAsync("/spike/");
        await using var identity = await FakeBotFrameworkIdentity.StartAsync();
        var (runId, questions, tenant) = await SeedAsync(database, connector.ServiceUrl);

        await using var bot = BotProcess.Start(new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["ConnectionStrings__Postgres"] = database.ConnectionString,
            ["Teams__AppId"] = IngestKeys.AppId,
            ["Teams__AppPassword"] = "not-used-by-inbound-turns",
            ["Teams__TenantId"] = IngestKeys.TenantId,
            ["Teams__OpenIdMetadataUrl"] = identity.MetadataUrl,
            ["Teams__AllowedServiceUrlHosts__0"] = "127.0.0.1",
            ["Privacy__ResponseKeySecret"] = "spike-bench-response-key-secret-0123456789",
            ["Charts__PublicBaseUrl"] = "http://127.0.0.1:9",
            ["Logging__LogLevel__Default"] = "Warning",
        });
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = Connections }) { BaseAddress = bot.BaseAddress };
        await WaitUntilHealthyAsync(http, bot);

        var token = identity.IssueToken(IngestKeys.AppId, connector.ServiceUrl, TimeProvider.System.GetUtcNow());
        var latencies = new double[People];
        var failures = 0;
        var next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Connections).Select(async _ =>
        {
            for (var i = Interlocked.Increment(ref next); i < People; i = Interlocked.Increment(ref next))
            {
                var started = clock.Elapsed;
                using var request = new HttpRequestMessage(HttpMethod.Post, "/api/messages")
                {
                    Content = JsonContent.Create(Invoke(i + 1, tenant, runId, questions, connector.ServiceUrl)),
                };
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                using var response = await http.SendAsync(request);
                var body = await response.Content.ReadAsStringAsync();
                latencies[i] = (clock.Elapsed - started).TotalMilliseconds;
                if (!response.IsSuccessStatusCode || !body.Contains("Thanks", StringComparison.Ordinal))
                {
                    Interlocked.Increment(ref failures);
                }
            }
        }));
        var seconds = clock.Elapsed.TotalSeconds;

        await using var connection = await database.DataSource.OpenConnectionAsync();
        var answered = await connection.ExecuteScalarAsync<long>("SELECT count(DISTINCT respondent_key) FROM responses WHERE run_id = @runId", new { runId });
        Array.Sort(latencies);
        await log.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"spike: answers={answered} per_s={People / seconds:F0} p99_ms={latencies[(int)(People * 0.99)]:F1} lost={People - answered} failed_requests={failures}"));
        return answered == People && failures == 0 ? 0 : 1;
    }

    private static object Invoke(int person, string tenant, long runId, long[] questions, string serviceUrl) => new
    {
        type = "invoke",
        name = "adaptiveCard/action",
        id = $"f:spike-{person}",
        channelId = "msteams",
        serviceUrl,
        from = new { id = $"29:user-{person}", name = $"Person {person}" },
        conversation = new { id = $"a:chat-{person}", conversationType = "personal", tenantId = tenant },
        recipient = new { id = "28:" + IngestKeys.AppId, name = "AlignmentBot" },
        channelData = new { tenant = new { id = tenant } },
        value = new
        {
            action = new
            {
                type = "Action.Execute",
                verb = "pulse.submit",
                data = new Dictionary<string, string>
                {
                    ["verb"] = "pulse.submit",
                    ["runId"] = runId.ToString(CultureInfo.InvariantCulture),
                    [$"q{questions[0]}"] = (person % 5 + 1).ToString(CultureInfo.InvariantCulture),
                    [$"q{questions[1]}"] = (person % 11).ToString(CultureInfo.InvariantCulture),
                },
            },
            trigger = "manual",
        },
    };

    /// <summary>One tenant, one team of 5,000 with their 1:1 chats (the cards reached them there), one open run.</summary>
    private static async Task<(long RunId, long[] Questions, string Tenant)> SeedAsync(FanoutDatabase database, string serviceUrl)
    {
        const string tenant = IngestKeys.TenantId;
        var ids = await database.SeedTenantAsync(tenant, serviceUrl, People);
        await using var connection = await database.DataSource.OpenConnectionAsync();
        var teamId = await connection.ExecuteScalarAsync<long>("INSERT INTO teams (tenant_id, name) VALUES (@TenantId, 'Everyone') RETURNING id", new { TenantId = ids[0] });
        await connection.ExecuteAsync("""
            INSERT INTO team_members (team_id, person_id) SELECT @TeamId, unnest(@People);
            INSERT INTO conversations (tenant_id, kind, conversation_id, service_url, person_id)
            SELECT p.tenant_id, 'personal', 'a:chat-' || substr(p.platform_user_id, 9), @ServiceUrl, p.id FROM people p WHERE p.id = ANY(@People);
            """, new { TeamId = teamId, People = ids[1..], ServiceUrl = serviceUrl });

        var clock = TimeProvider.System;
        var surveyId = await new SurveyStore(database.DataSource, clock).SaveAsync(new SurveyDefinition
        {
            Tenant = tenant,
            Name = "Alignment pulse",
            Questions =
            [
                new SurveyQuestion(QuestionKinds.Likert5, "I know what is expected of me this quarter.", "clarity"),
                new SurveyQuestion(QuestionKinds.Enps, "How likely are you to recommend working here?", "enps"),
            ],
            Audience = [teamId],
        }, defaultForTeam: null, CancellationToken.None);
        var runId = (await new PulseRunOpener(database.DataSource, new Outbox(database.DataSource, clock)).OpenAsync(surveyId, clock.GetUtcNow(), CancellationToken.None)).RunId;
        // The cards went out before 10:00; the bot must not send them again during the spike.
        await connection.ExecuteAsync("UPDATE deliveries SET status = 'cancelled'");
        var questions = (await connection.QueryAsync<long>("SELECT id FROM survey_questions WHERE survey_id = @surveyId ORDER BY position", new { surveyId })).ToArray();
        return (runId, questions, tenant);
    }

    private static async Task WaitUntilHealthyAsync(HttpClient http, BotProcess bot)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(120))
        {
            try
            {
                using var response = await http.GetAsync("/healthz");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }

            if (bot.HasExited)
            {
                break;
            }

            await Task.Delay(250);
        }

        throw new InvalidOperationException($"The bot did not become healthy: {bot.StandardOutput}{bot.StandardError}");
    }
}
