using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using AlignmentBot.Tests.Support;
using AlignmentBot.Tests.Teams.Fakes;

namespace AlignmentBot.Bench.Fanout;

/// <summary>
/// Scenario M: a hosted instance's many small tenants (10,000 × 3 people) through one bot process. Shows what the
/// instance holds before, at its busiest and after the outbox is empty: the dispatcher's worker tasks, tenants in
/// memory and in the pacer (from /healthz), the process's threads and resident memory (from /proc). One fake
/// connector answers for every tenant (10,000 web servers would measure the bench, not the bot), so the fake
/// counts all tenants' requests together against 10,000 × 50/s; each tenant's own pace is the bot's pacer's job.
/// </summary>
public sealed class ManyTenantsRun(FanoutScenario scenario, FakeLatency latency, string server, TextWriter log)
{
    private sealed record Snapshot(int Workers, int TenantsInMemory, int TenantsPaced, int InFlight, int Threads, double RssMb)
    {
        public string Text => string.Create(CultureInfo.InvariantCulture,
            $"workers={Workers} tenants_in_memory={TenantsInMemory} tenants_paced={TenantsPaced} in_flight={InFlight} threads={Threads} rss_mb={RssMb:0}");
    }

    public async Task<int> RunAsync()
    {
        await log.WriteLineAsync(Invariant($"fanout {scenario.Name}: {scenario.Description}; {scenario.Messages} messages; {latency.Description}"));
        await using var database = await FanoutDatabase.CreateAsync(server);
        await using var connector = await FakeBotConnector.StartAsync("/many/");
        new FakeTeamsLimits { TenantRequestsPerSecond = scenario.Tenants * FanoutScenario.TenantRequestsPerSecond, Latency = latency }.AttachTo(connector);
        var tenants = await database.SeedTenantsAsync(scenario.Tenants, scenario.PeoplePerTenant, connector.ServiceUrl);
        await using var bot = BotProcess.Start(new Dictionary<string, string>
        {
            ["ConnectionStrings__Postgres"] = database.ConnectionString,
            ["Logging__LogLevel__Default"] = "Warning",
            ["Logging__LogLevel__AlignmentBot.Bot.Delivery"] = "Information",
        });
        await FanoutRun.WaitUntilHealthyAsync(bot);
        var idle = await SnapshotAsync(bot);
        await log.WriteLineAsync($"  idle before: {idle.Text}");

        var clock = Stopwatch.StartNew();
        await database.EnqueueAllAsync(tenants);
        var busiest = idle;
        var deadline = TimeSpan.FromMinutes(10);
        FanoutDatabase.Progress progress;
        while ((progress = await database.ProgressAsync()).Settled < scenario.Messages && clock.Elapsed < deadline && !bot.HasExited)
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
            var now = await SnapshotAsync(bot);
            busiest = now.Workers > busiest.Workers ? now with { RssMb = Math.Max(now.RssMb, busiest.RssMb) } : busiest with { RssMb = Math.Max(now.RssMb, busiest.RssMb) };
        }

        var drained = clock.Elapsed;
        await log.WriteLineAsync(Invariant($"  settled {progress.Settled} ({progress.Sent} sent) in {drained.TotalSeconds:0.0} s; busiest: {busiest.Text}"));

        // Workers stop as soon as their tenant's queue is empty; the pacer forgets a tenant quiet for 30 s.
        var after = await SnapshotAsync(bot);
        var quiet = Stopwatch.StartNew();
        while ((after.Workers > 0 || after.TenantsInMemory > 0 || after.TenantsPaced > 0) && quiet.Elapsed < TimeSpan.FromSeconds(90))
        {
            await Task.Delay(TimeSpan.FromSeconds(2));
            after = await SnapshotAsync(bot);
        }

        // The dispatcher gives the burst's memory back on its next loop once nothing is held.
        await Task.Delay(TimeSpan.FromSeconds(3));
        after = await SnapshotAsync(bot);
        await bot.StopGracefullyAsync(TimeSpan.FromSeconds(30));
        var received = connector.ReceivedPerUser();
        var lost = scenario.Messages - received.Count;
        var duplicates = received.Values.Sum(n => n - 1);
        await log.WriteLineAsync(Invariant(
            $"fanout {scenario.Name} instances=1 {latency.Label}: sent={progress.Sent} lost={lost} duplicates={duplicates} throttled={connector.ThrottledCount} seconds={drained.TotalSeconds:0} rate={progress.Sent / drained.TotalSeconds:0.0} connections={connector.ConnectionCount} | idle before: {idle.Text} | busiest: {busiest.Text} | idle after (+{quiet.Elapsed.TotalSeconds:0} s): {after.Text}"));
        return lost == 0 && progress.Settled == scenario.Messages ? 0 : 1;
    }

    private static async Task<Snapshot> SnapshotAsync(BotProcess bot)
    {
        using var http = new HttpClient { BaseAddress = bot.BaseAddress };
        using var health = JsonDocument.Parse(await http.GetStringAsync(new Uri("/healthz", UriKind.Relative)));
        var root = health.RootElement;
        var status = File.ReadAllLines($"/proc/{bot.ProcessId}/status");
        double Field(string name) => double.Parse(status.First(l => l.StartsWith(name, StringComparison.Ordinal)).Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        return new Snapshot(
            root.GetProperty("workers").GetInt32(),
            root.GetProperty("tenantsInMemory").GetInt32(),
            root.GetProperty("tenantsPaced").GetInt32(),
            root.GetProperty("inFlight").GetInt32(),
            (int)Field("Threads:"),
            Field("VmRSS:") / 1024);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
