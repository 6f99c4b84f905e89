using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using AlignmentBot.Bot.Observability;
using AlignmentBot.Bot.Teams.Connector;
using AlignmentBot.Scheduler.Delivery;
using AlignmentBot.Scheduler.Pulses;
using AlignmentBot.Tests.Pulses;
using AlignmentBot.Tests.Support;
using AlignmentBot.Tests.Teams.Auth;
using AlignmentBot.Tests.Teams.Fakes;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using OpenTelemetry.Trace;

namespace AlignmentBot.Tests.Observability;

/// <summary>
/// One pulse answer, through the real endpoint with a real (fake-signed) token, traced with the bot's own tracing
/// set-up into an in-memory exporter: one trace, verify → turn (with its SQL inside) → reply, under the request's span.
/// </summary>
public class PulseAnswerTraceTests
{
    private const string AppId = "c9e8c047-2a74-40a2-b28a-b162d5f5327c";

    /// <summary>An authenticated bot serves Entra tenants only, named by GUID.</summary>
    private const string Tenant = "5d1f3a4e-0b7c-4e2a-9c61-2f8d7b3e9a10";
    private static readonly DateTimeOffset OpenedAt = new(2026, 3, 3, 9, 0, 0, TimeSpan.Zero);

    private TestDatabase _database = null!;
    private FakeBotFrameworkIdentity _identity = null!;
    private FakeBotConnector _connector = null!;
    private BotFactory _bot = null!;
    private readonly List<Activity> _spans = [];
    private FakeTimeProvider _clock = null!;
    private long _runId;
    private long[] _questions = [];

    [SetUp]
    public async Task StartAsync()
    {
        _database = await TestDatabase.CreateAsync();
        _identity = await FakeBotFrameworkIdentity.StartAsync();
        _connector = await FakeBotConnector.StartAsync();
        var seed = await new PulseSeed(_database).TenantAsync();
        var team = await seed.TeamAsync("Platform");
        for (var i = 0; i < 5; i++)
        {
            await seed.PersonAsync(team, $"person-{i}", "Europe/London");
        }

        var dataSource = _database.CreateDataSource();
        _clock = new FakeTimeProvider(OpenedAt);
        var surveyId = await new SurveyStore(dataSource, _clock).SaveAsync(new SurveyDefinition
        {
            Tenant = PulseSeed.TenantExternalId,
            Name = "Alignment pulse",
            Questions = [new SurveyQuestion(QuestionKinds.Likert5, "I know what is expected of me this quarter.", "clarity")],
            Audience = [team],
        }, defaultForTeam: null, CancellationToken.None);
        _runId = (await new PulseRunOpener(dataSource, new Outbox(dataSource, _clock)).OpenAsync(surveyId, _clock.GetUtcNow(), CancellationToken.None)).RunId;
        _questions = (await _database.ScalarAsync<long[]>($"SELECT array_agg(id ORDER BY position) FROM survey_questions WHERE survey_id = {surveyId}"))!;
        await _database.ExecuteAsync("UPDATE deliveries SET status = 'cancelled'");
        await _database.ExecuteAsync($"UPDATE tenants SET external_id = '{Tenant}'");

        _spans.Clear();
        _bot = new BotFactory(_database, new Dictionary<string, string?>
        {
            ["Privacy:ResponseKeySecret"] = "test-response-key-secret-0123456789abcdef",
            ["Teams:AppId"] = AppId,
            ["Teams:AppPassword"] = "client-secret",
            ["Teams:TenantId"] = "72f988bf-86f1-41af-91ab-2d7cd011db47",
            ["Teams:AllowedTenants:0"] = Tenant,
            ["Teams:OpenIdMetadataUrl"] = _identity.MetadataUrl,
            ["Teams:AllowedServiceUrlHosts:0"] = "127.0.0.1",
        }, _clock);
    }

    [TearDown]
    public async Task StopAsync()
    {
        await _bot.DisposeAsync();
        await _connector.DisposeAsync();
        await _identity.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Test]
    public async Task A_pulse_answer_is_one_trace_of_verify_then_turn_with_its_sql_then_reply()
    {
        var token = _identity.IssueToken(AppId, _connector.ServiceUrl, _clock.GetUtcNow());
        using var http = _bot.WithWebHostBuilder(web => web.ConfigureTestServices(services =>
        {
            services.AddSingleton<IBotTokenProvider>(new StaticToken());
            // The bot's own source list, as production registers it when an endpoint is set; only the exporter differs.
            services.AddOpenTelemetry().WithTracing(tracing => tracing.AddBotTracing().AddInMemoryExporter(_spans));
        })).CreateClient();

        var data = new Dictionary<string, string> { ["runId"] = _runId.ToString(CultureInfo.InvariantCulture), [$"q{_questions[0]}"] = "4" };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/messages")
        {
            Content = JsonContent.Create(Invoke("person-0", "pulse.submit", data)),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        Assert.That(await _database.ScalarAsync<long>($"SELECT count(*) FROM responses WHERE run_id = {_runId}"), Is.EqualTo(1), "the answer was recorded");

        var server = await Eventually.ValueAsync(() => Task.FromResult(Snapshot().FirstOrDefault(s => s.Kind == ActivityKind.Server && s.DisplayName.Contains("/api/messages", StringComparison.Ordinal))),
            s => s is not null, TimeSpan.FromSeconds(10), "the request's span");
        var trace = Snapshot().Where(s => s.TraceId == server!.TraceId).ToList();
        var verify = Single(trace, BotTelemetry.Verify);
        var turn = Single(trace, BotTelemetry.Turn);
        var reply = Single(trace, BotTelemetry.Reply);

        Assert.Multiple(() =>
        {
            Assert.That(verify.ParentSpanId, Is.EqualTo(server!.SpanId), "verify runs under the request");
            Assert.That(turn.ParentSpanId, Is.EqualTo(server.SpanId), "the turn runs under the request");
            Assert.That(reply.ParentSpanId, Is.EqualTo(server.SpanId), "the reply is written under the request");
            Assert.That(verify.Status, Is.EqualTo(ActivityStatusCode.Ok));
            Assert.That(verify.StartTimeUtc + verify.Duration, Is.LessThanOrEqualTo(turn.StartTimeUtc), "verify, then the turn");
            Assert.That(turn.StartTimeUtc + turn.Duration, Is.LessThanOrEqualTo(reply.StartTimeUtc), "the turn, then the reply");
            Assert.That(turn.GetTagItem("alignmentbot.card.verb"), Is.EqualTo("pulse.submit"));
        });

        var sql = trace.Where(s => s.Source.Name == "Npgsql").ToList();
        Assert.That(sql, Is.Not.Empty, "the database work is traced");
        Assert.That(sql.All(s => Ancestors(s, trace).Contains(turn.SpanId)), Is.True,
            "every SQL statement of the answer runs inside the turn: " + string.Join(", ", sql.Select(s => s.DisplayName)));
        Assert.That(sql.Any(s => s.ParentSpanId == turn.SpanId || Ancestors(s, trace).Contains(turn.SpanId)), Is.True);

        var tagValues = trace.SelectMany(s => s.TagObjects.Select(t => t.Value?.ToString() ?? "")).ToList();
        Assert.That(tagValues.Any(v => v.Contains(token, StringComparison.Ordinal) || v.StartsWith("Bearer", StringComparison.Ordinal)), Is.False,
            "no span carries the caller's token (request headers are not recorded)");
        Assert.That(tagValues.Any(v => v == "4"), Is.False, "no span carries what was answered");
    }

    /// <summary>An Action.Execute from the pulse card, as Teams sends it (see ChatActivities), from the GUID-named tenant.</summary>
    private object Invoke(string who, string verb, Dictionary<string, string> data) => new
    {
        type = "invoke",
        name = "adaptiveCard/action",
        id = Guid.NewGuid().ToString(),
        channelId = "msteams",
        serviceUrl = _connector.ServiceUrl,
        from = new { id = $"29:{who}", name = who },
        conversation = new { id = $"a:chat-{who}", conversationType = "personal", tenantId = Tenant },
        recipient = new { id = "28:bot", name = "AlignmentBot" },
        channelData = new { tenant = new { id = Tenant } },
        value = new { action = new { type = "Action.Execute", verb, data = new Dictionary<string, string>(data) { ["verb"] = verb } }, trigger = "manual" },
    };

    private List<Activity> Snapshot()
    {
        lock (_spans)
        {
            return [.. _spans];
        }
    }

    private static Activity Single(List<Activity> trace, string name)
    {
        var found = trace.Where(s => s.Source.Name == BotTelemetry.SourceName && s.OperationName == name).ToList();
        Assert.That(found, Has.Count.EqualTo(1), $"one {name} span in the trace; spans: {string.Join(", ", trace.Select(s => s.OperationName))}");
        return found[0];
    }

    private static HashSet<ActivitySpanId> Ancestors(Activity span, List<Activity> trace)
    {
        var ancestors = new HashSet<ActivitySpanId>();
        var parent = span.ParentSpanId;
        while (parent != default && ancestors.Add(parent))
        {
            parent = trace.FirstOrDefault(s => s.SpanId == parent)?.ParentSpanId ?? default;
        }

        return ancestors;
    }

    private sealed class StaticToken : IBotTokenProvider
    {
        public bool HasCredentials => true;

        public ValueTask<string?> GetTokenAsync(CancellationToken cancellationToken) => ValueTask.FromResult<string?>("outbound-token");
    }
}
