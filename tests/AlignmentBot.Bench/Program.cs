using AlignmentBot.Bench.Fanout;

// dotnet AlignmentBot.Bench.dll fanout <A|B|B2> — one run of one scenario; scripts/bench/fanout.sh repeats and summarises.
// The PostgreSQL server comes from ALIGNMENTBOT_BENCH_POSTGRES (a connection string; each run creates and drops its own database).
if (args is not ["fanout", var name] || FanoutScenario.Find(name) is not { } scenario)
{
    await Console.Error.WriteLineAsync($"usage: AlignmentBot.Bench fanout <{string.Join('|', FanoutScenario.All.Select(s => s.Name))}>");
    return 64;
}

var server = Environment.GetEnvironmentVariable("ALIGNMENTBOT_BENCH_POSTGRES");
if (string.IsNullOrEmpty(server))
{
    await Console.Error.WriteLineAsync("ALIGNMENTBOT_BENCH_POSTGRES is not set (a connection string to a PostgreSQL server; scripts/bench/fanout.sh sets it).");
    return 64;
}

var result = await new FanoutRun(scenario, server, Console.Out).RunAsync();
await Console.Out.WriteLineAsync(result.ToLine());
return result.Lost == 0 ? 0 : 1;
