using System.Diagnostics;
using System.Globalization;
using AlignmentBot.Tests.Support;
using AlignmentBot.Tests.Teams.Fakes;

namespace AlignmentBot.Bench.Fanout;

/// <summary>
/// One run: a fresh database, one fake Teams connector per tenant (Teams' limits, a latency drawn per call from
/// <paramref name="latency"/>), the real bot as separate processes (extra settings from FANOUT_SETTINGS,
/// e.g. <c>Delivery__Pacing=Sent</c>), every message enqueued ahead and made due at one instant, drained until settled; the figures come
/// from the outbox (times) and from what the fakes received (429s, duplicates, lost, connections).
/// </summary>
public sealed class FanoutRun(FanoutScenario scenario, FakeLatency latency, string server, TextWriter log)
{
    public async Task<FanoutResult> RunAsync()
    {
        var settings = BotSettings();
        await log.WriteLineAsync(Invariant($"fanout {scenario.Name}: {scenario.Description}; {scenario.Messages} messages, ceiling {scenario.CeilingPerSecond:0.#} msg/s ({FanoutScenario.TenantRequestsPerSecond} req/s per tenant, create + send per message); {latency.Description}"));
        await using var database = await FanoutDatabase.CreateAsync(server);
        var connectors = new List<(FakeBotConnector Connector, long TenantId, long[] People)>();
        var bots = new List<BotProcess>();
        try
        {
            for (var t = 0; t < scenario.Tenants; t++)
            {
                var connector = await FakeBotConnector.StartAsync($"/tenant-{t}/");
                new FakeTeamsLimits { Latency = latency }.AttachTo(connector);
                var ids = await database.SeedTenantAsync($"tenant-{t}", connector.ServiceUrl, scenario.PeoplePerTenant);
                connectors.Add((connector, ids[0], ids[1..]));
            }

            for (var i = 0; i < scenario.Instances; i++)
            {
                var environment = new Dictionary<string, string>
                {
                    ["ConnectionStrings__Postgres"] = database.ConnectionString,
                    ["Logging__LogLevel__Default"] = "Warning",
                    ["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Warning",
                    ["Logging__LogLevel__AlignmentBot.Bot.Delivery"] = "Information",
                };
                foreach (var (key, value) in settings)
                {
                    environment[key] = value;
                }

                bots.Add(BotProcess.Start(environment));
            }

            foreach (var bot in bots)
            {
                await WaitUntilHealthyAsync(bot);
            }

            var clock = Stopwatch.StartNew();
            foreach (var (_, tenantId, people) in connectors)
            {
                await database.EnqueueAsync(tenantId, people);
            }

            var enqueued = clock.Elapsed;
            var started = TimeProvider.System.GetUtcNow() + ReleaseAhead;
            await database.ReleaseAsync(started);
            var committed = TimeProvider.System.GetUtcNow() - started;
            await log.WriteLineAsync(Invariant($"  due at one instant, {ReleaseAhead.TotalSeconds:0.#} s ahead; committed {(committed < TimeSpan.Zero ? "before" : "after (timed from the due instant all the same)")} it: {committed.TotalSeconds:+0.00;-0.00} s"));
            if (committed < TimeSpan.Zero)
            {
                await Task.Delay(-committed);
            }

            clock.Restart();
            var diagnostics = new FanoutDiagnostics();
            using var drained = new CancellationTokenSource();
            var sampling = diagnostics.SampleAsync(bots, drained.Token);

            await DrainAsync(database, clock);
            await drained.CancelAsync();
            await sampling;
            await log.WriteLineAsync(diagnostics.Line(scenario, latency, connectors.Select(c => c.Connector), Allowance(settings), started, enqueued));
            var rssMb = bots.Max(PeakRssMb);
            await ReportInstancesAsync(database, bots);
            foreach (var bot in bots)
            {
                await bot.StopGracefullyAsync(TimeSpan.FromSeconds(30));
            }

            var figures = await database.FiguresAsync();
            var received = connectors.Select(c => c.Connector.ReceivedPerUser()).ToList();
            return new FanoutResult(
                scenario,
                latency,
                Rate: figures.Sent / figures.Seconds,
                Throttled: connectors.Sum(c => c.Connector.ThrottledCount),
                ServerErrors: connectors.Sum(c => c.Connector.Requests.Count(r => r.Status == 503)),
                Duplicates: received.Sum(perUser => perUser.Values.Sum(n => n - 1)),
                Lost: scenario.Messages - received.Sum(perUser => perUser.Count),
                figures.P50Ms,
                figures.P99Ms,
                rssMb,
                Connections: connectors.Sum(c => c.Connector.ConnectionCount),
                Settings: string.Concat(settings.Select(s => $" {s.Key[(s.Key.LastIndexOf("__", StringComparison.Ordinal) + 2)..]}={s.Value}")));
        }
        finally
        {
            foreach (var bot in bots)
            {
                await bot.DisposeAsync();
            }

            foreach (var (connector, _, _) in connectors)
            {
                await connector.DisposeAsync();
            }
        }
    }

    /// <summary>How far ahead the rows are made due: longer than rewriting them takes on a quiet machine.</summary>
    private static readonly TimeSpan ReleaseAhead = TimeSpan.FromSeconds(2);

    /// <summary>FANOUT_SETTINGS: bot settings for this run, <c>Key=value</c> separated by spaces (e.g. <c>Delivery__Pacing=Sent</c>).</summary>
    private static List<KeyValuePair<string, string>> BotSettings() =>
        [.. (Environment.GetEnvironmentVariable("FANOUT_SETTINGS") ?? "")
            .Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(pair => pair.Split('=', 2))
            .Select(kv => new KeyValuePair<string, string>(kv[0], kv.Length > 1 ? kv[1] : ""))];

    /// <summary>The Sent rule's allowance this run used (the bot's default unless FANOUT_SETTINGS names one).</summary>
    private static TimeSpan Allowance(List<KeyValuePair<string, string>> settings) =>
        settings.Where(s => s.Key.EndsWith("ArrivalAllowance", StringComparison.Ordinal)).Select(s => TimeSpan.Parse(s.Value, CultureInfo.InvariantCulture)).DefaultIfEmpty(TimeSpan.FromMilliseconds(30)).Last();

    private async Task DrainAsync(FanoutDatabase database, Stopwatch clock)
    {
        // Generous: three times the time the limits need, plus start-up.
        var deadline = TimeSpan.FromSeconds(scenario.Messages / scenario.CeilingPerSecond * 3 + 60);
        var lastReport = TimeSpan.Zero;
        while (true)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(500));
            var progress = await database.ProgressAsync();
            if (progress.Settled >= scenario.Messages)
            {
                await log.WriteLineAsync(Invariant($"  settled {progress.Settled} ({progress.Sent} sent) in {clock.Elapsed.TotalSeconds:0.0} s"));
                return;
            }

            if (clock.Elapsed > deadline)
            {
                await log.WriteLineAsync(Invariant($"  gave up after {clock.Elapsed.TotalSeconds:0} s with {scenario.Messages - progress.Settled} unsettled"));
                return;
            }

            if (clock.Elapsed - lastReport >= TimeSpan.FromSeconds(15))
            {
                lastReport = clock.Elapsed;
                await log.WriteLineAsync(Invariant($"  {clock.Elapsed.TotalSeconds:0} s: {progress.Sent} sent"));
            }
        }
    }

    private async Task ReportInstancesAsync(FanoutDatabase database, List<BotProcess> bots)
    {
        var perInstance = await database.SentPerInstanceAsync();
        await log.WriteLineAsync($"  sent per bot instance: {string.Join(", ", perInstance.Select(p => $"{p.Instance}: {p.Sent} to {p.Tenants} tenant(s)"))}");
        if (Environment.GetEnvironmentVariable("FANOUT_BOT_LOGS") == "1")
        {
            bots.ForEach(bot => log.WriteLine(bot.StandardOutput));
        }

        foreach (var bot in bots.Where(b => b.HasExited))
        {
            await log.WriteLineAsync($"  a bot process exited early: {bot.StandardError}");
        }
    }

    internal static async Task WaitUntilHealthyAsync(BotProcess bot)
    {
        using var http = new HttpClient { BaseAddress = bot.BaseAddress };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            try
            {
                if ((await http.GetAsync(new Uri("/healthz", UriKind.Relative))).IsSuccessStatusCode)
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

            await Task.Delay(200);
        }

        throw new InvalidOperationException($"The bot did not become healthy: {bot.StandardOutput}{bot.StandardError}");
    }

    /// <summary>The process's peak resident set (VmHWM), in MB.</summary>
    internal static double PeakRssMb(BotProcess bot)
    {
        var line = File.ReadLines($"/proc/{bot.ProcessId}/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
