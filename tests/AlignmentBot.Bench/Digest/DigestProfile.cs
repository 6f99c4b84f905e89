using System.Collections.Concurrent;
using System.Globalization;
using AlignmentBot.Bot.Cards;
using AlignmentBot.Bot.Delivery;
using AlignmentBot.Bot.Digests;
using AlignmentBot.Bot.Digests.Charts;
using AlignmentBot.Scheduler.Digests;
using Dapper;
using Npgsql;

namespace AlignmentBot.Bench.Digest;

/// <summary>
/// Where a digest's CPU goes: the steps <see cref="DigestBench"/> runs together (build, draw and encode the chart,
/// save it, render the card; then the roll-up), each run over every team on its own, with the dispatcher's
/// concurrency, and charged in CPU seconds to this process and to PostgreSQL.
/// </summary>
public sealed class DigestProfile(string server, TextWriter output)
{
    public async Task<int> RunAsync()
    {
        await using var dataSource = NpgsqlDataSource.Create(DigestOrganisation.ConnectionString(server));
        var builder = new DigestBuilder(dataSource);
        var store = new ChartStore(dataSource);
        var at = DigestOrganisation.At;
        long[] teams;
        await using (var connection = await dataSource.OpenConnectionAsync())
        {
            teams = [.. await connection.QueryAsync<long>("SELECT id FROM teams ORDER BY id")];
        }

        var concurrency = DeliveryDispatcher.WorkersPerTenant(new DeliveryOptions(), ConnectorLatency.Assumed);
        var cpu = await CpuClock.OpenAsync(dataSource);
        await output.WriteLineAsync(DigestBench.Runtime());
        // Warm-up: JIT, fonts, a pooled connection.
        var first = (await builder.BuildAsync(1, [teams[0]], at, CancellationToken.None))[0];
        await store.SaveAsync(1, ChartToken.Hash(ChartToken.New()), TrendChartRenderer.Render(DigestChartLink.Data(first)), at, at.AddDays(14), CancellationToken.None);

        var digests = new ConcurrentDictionary<long, TeamDigest>();
        var batches = new TeamDigestBatches(builder, new DigestBench.FixedClock(at));
        await Step("build", cpu, teams, concurrency, async team => digests[team] = (await batches.BuildAsync(1, team, CancellationToken.None))!);
        var data = new ConcurrentDictionary<long, TrendChartData>();
        await Step("chart data", cpu, teams, concurrency, team => { data[team] = DigestChartLink.Data(digests[team]); return Task.CompletedTask; });
        var surfaces = new ConcurrentDictionary<long, SkiaSharp.SKSurface>();
        await Step("chart draw", cpu, teams, concurrency, team => { surfaces[team] = TrendChartRenderer.DrawSurface(data[team]); return Task.CompletedTask; });
        var pngs = new ConcurrentDictionary<long, byte[]>();
        await Step("chart encode", cpu, teams, concurrency, team =>
        {
            using var pixels = surfaces[team].PeekPixels();
            pngs[team] = PngWriter.Encode(pixels);
            return Task.CompletedTask;
        });
        await Step("chart save", cpu, teams, concurrency, team =>
            store.SaveAsync(1, ChartToken.Hash(ChartToken.New()), pngs[team], at, at.AddDays(14), CancellationToken.None));
        var uri = new Uri("http://127.0.0.1:3978/charts/x.png");
        await Step("card", cpu, teams, concurrency, team =>
        {
            _ = AdaptiveCardRenderer.Render(DigestCards.Team(digests[team], uri, "Sent because: the benchmark")).ToJsonString();
            return Task.CompletedTask;
        });
        await Step("roll-up", cpu, [0L], 1, async tenant =>
            _ = AdaptiveCardRenderer.Render(RollupCards.Rollup(await builder.BuildAsync(1, null, at, CancellationToken.None), at, "Europe/Berlin", "Sent because: the benchmark")).ToJsonString());
        foreach (var surface in surfaces.Values)
        {
            surface.Dispose();
        }

        return 0;
    }

    private async Task Step(string name, CpuClock cpu, long[] teams, int concurrency, Func<long, Task> step)
    {
        var before = cpu.Now();
        var started = TimeProvider.System.GetTimestamp();
        await Parallel.ForEachAsync(teams, new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (team, _) => await step(team));
        var wall = TimeProvider.System.GetElapsedTime(started).TotalSeconds;
        var after = cpu.Now();
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"profile: {name,-12} bench {after.Bench - before.Bench,6:0.00} CPU-s  postgres {after.Postgres - before.Postgres,6:0.00} CPU-s  wall {wall,6:0.00} s  ({teams.Length} x)"));
    }
}
