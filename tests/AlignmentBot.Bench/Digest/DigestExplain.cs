using System.Globalization;
using AlignmentBot.Scheduler.Digests;
using Dapper;
using Npgsql;

namespace AlignmentBot.Bench.Digest;

/// <summary>
/// EXPLAIN (ANALYZE, BUFFERS) of the digest builder's section queries, with the parameters it uses: for one pass of
/// the dispatcher's concurrency worth of teams, the slowest team's among them (what <see cref="TeamDigestBatches"/>
/// builds in a weekly burst), and for the whole tenant (the roll-up). Prints each one's execution time and the full
/// plan of the heaviest of each, to show the indexes at work.
/// </summary>
public sealed class DigestExplain(NpgsqlDataSource dataSource, TextWriter output)
{
    private static readonly (string Name, string Sql)[] Sections =
    [
        ("key results", DigestBuilder.SelectKeyResults),
        ("line of sight", DigestBuilder.SelectObjectives),
        ("pulse runs", DigestBuilder.SelectRuns),
    ];

    public async Task PrintHeaviestAsync(long team, int passSize, DateTimeOffset at)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        // As DigestBuilder runs them (it turns JIT off for multi-team builds; single-team plans never reach the JIT threshold).
        await connection.ExecuteAsync("SET jit = off");
        var all = (await connection.QueryAsync<long>("SELECT id FROM teams ORDER BY id")).ToArray();
        long[] pass = [team, .. all.Where(t => t != team).Take(passSize - 1)];
        foreach (var (scope, teams) in new[] { ($"a pass of {pass.Length} teams (team {team} and others)", pass), ($"all {all.Length} teams (roll-up)", all) })
        {
            var plans = new List<(string Name, double Ms, string Plan)>();
            foreach (var (name, sql) in Sections)
            {
                var lines = (await connection.QueryAsync<string>("EXPLAIN (ANALYZE, BUFFERS) " + sql, DigestBuilder.Arguments(1, teams, at))).ToList();
                var ms = double.Parse(lines.Single(l => l.StartsWith("Execution Time:", StringComparison.Ordinal)).Split(' ')[2], CultureInfo.InvariantCulture);
                plans.Add((name, ms, string.Join('\n', lines)));
            }

            await output.WriteLineAsync($"EXPLAIN for {scope}: " + string.Join(", ", plans.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Name} {p.Ms:0.00} ms"))));
            var heaviest = plans.MaxBy(p => p.Ms);
            await output.WriteLineAsync($"heaviest for {scope}: {heaviest.Name}\n{heaviest.Plan}");
        }
    }
}
