using System.Diagnostics;
using System.Globalization;
using AlignmentBot.Tests.Slack.Fakes;
using AlignmentBot.Tests.Support;
using Dapper;

namespace AlignmentBot.Bench.Fanout;

/// <summary>
/// Scenario S: one Slack workspace, 2,000 people, one bot process draining the outbox into the fake Slack Web API with
/// Slack's limits (about one message per second per channel, a workspace budget of <see cref="WorkspaceCeiling"/>
/// messages in any second, 429 + Retry-After beyond). Each DM goes by <c>chat.postMessage</c> to the user id, so a
/// message is one request. The bot's own workspace budget is set just under the ceiling; the ratio is the rate reached
/// against the ceiling the fake enforces.
/// </summary>
public sealed class SlackFanoutRun(string server, TextWriter log)
{
    public const int People = 2000;
    public const int WorkspaceCeiling = 50;
    public const double BotBudget = 49;

    public async Task<int> RunAsync()
    {
        await log.WriteLineAsync(Invariant($"fanout S: one Slack workspace, {People} people; ceiling {WorkspaceCeiling} msg/s (the fake's workspace budget), the bot's budget {BotBudget} msg/s"));
        await using var database = await FanoutDatabase.CreateAsync(server);
        await using var slack = await FakeSlackWebApi.StartAsync();
        slack.Limits.WorkspacePerSecond = WorkspaceCeiling;
        long tenantId;
        long[] people;
        await using (var connection = await database.DataSource.OpenConnectionAsync())
        {
            tenantId = await connection.ExecuteScalarAsync<long>("INSERT INTO tenants (platform, external_id) VALUES ('slack', @team) RETURNING id", new { team = slack.TeamId });
            people = [.. await connection.QueryAsync<long>("""
                INSERT INTO people (tenant_id, platform_user_id, display_name)
                SELECT @tenantId, 'U' || lpad(i::text, 7, '0'), 'Person ' || i FROM generate_series(1, @people) AS i
                RETURNING id
                """, new { tenantId, people = People })];
        }

        await using var bot = BotProcess.Start(new Dictionary<string, string>
        {
            ["ConnectionStrings__Postgres"] = database.ConnectionString,
            ["Logging__LogLevel__Default"] = "Warning",
            ["Slack__SigningSecret"] = "fanout-signing-secret-0123456789abcdef",
            ["Slack__BotToken"] = slack.BotToken,
            ["Slack__ApiBaseUrl"] = slack.BaseAddress.ToString(),
            ["Slack__WorkspaceMessagesPerSecond"] = BotBudget.ToString(CultureInfo.InvariantCulture),
        });
        await FanoutRun.WaitUntilHealthyAsync(bot);
        await database.EnqueueAsync(tenantId, people);
        var clock = Stopwatch.StartNew();
        await database.ReleaseAsync(TimeProvider.System.GetUtcNow());
        var deadline = TimeSpan.FromSeconds(People / (double)WorkspaceCeiling * 3 + 60);
        while (await database.ProgressAsync() is var progress && progress.Settled < People)
        {
            if (clock.Elapsed > deadline)
            {
                await log.WriteLineAsync(Invariant($"  gave up after {clock.Elapsed.TotalSeconds:0} s with {People - progress.Settled} unsettled"));
                break;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500));
        }

        var rssMb = FanoutRun.PeakRssMb(bot);
        await bot.StopGracefullyAsync(TimeSpan.FromSeconds(30));
        var figures = await database.FiguresAsync();
        var received = slack.Messages.GroupBy(m => m.PostedTo).ToDictionary(g => g.Key ?? "", g => g.Count());
        var rate = figures.Sent / figures.Seconds;
        var lost = People - received.Count;
        await log.WriteLineAsync(Invariant(
            $"fanout S instances=1 workspace_per_s={WorkspaceCeiling}: rate={rate:0.0} ratio={rate / WorkspaceCeiling:0.00} throttled={slack.Limits.Throttled} duplicates={received.Values.Sum(n => n - 1)} lost={lost} p50_ms={figures.P50Ms:0} p99_ms={figures.P99Ms:0} rss_mb={rssMb:0}"));
        return lost == 0 ? 0 : 1;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
