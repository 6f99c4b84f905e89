using AlignmentBot.Bench.Digest;
using AlignmentBot.Bench.Fanout;
using AlignmentBot.Bench.Import;
using AlignmentBot.Bench.Ingest;
using AlignmentBot.Bench.Pacing;
using AlignmentBot.Bench.People;
using AlignmentBot.Storage;

// dotnet AlignmentBot.Bench.dll fanout S — one Slack workspace, 2,000 people, against the fake Slack Web API's limits.
// dotnet AlignmentBot.Bench.dll fanout <A|B|B2|M|smoke> [median latency ms, default 20] [share of 503s, default 0]
//   — one run of one scenario against fakes that answer like Teams (FakeLatency.LikeTeams); scripts/bench/fanout.sh repeats and summarises.
// dotnet AlignmentBot.Bench.dll digest-generate | digest — the synthetic organisation, then one measurement; scripts/bench/digest.sh.
// dotnet AlignmentBot.Bench.dll digest-profile — on a generated organisation, each step of a digest apart, in CPU seconds.
// dotnet AlignmentBot.Bench.dll chart [file.png] — a digest's chart drawn 200 times, no database (the last one saved).
// dotnet AlignmentBot.Bench.dll token — the inbound token check alone; ingest-keys <dir> — keys, token and activity for
// scripts/bench/ingest.sh (served until SIGTERM); spike — 5,000 pulse answers through /api/messages.
// dotnet AlignmentBot.Bench.dll import — the OKR import's checks on worst-case files up to the row cap; scripts/bench/import.sh.
// dotnet AlignmentBot.Bench.dll people-import — the people file's checks on 12,500–50,000 rows, no database.
// dotnet AlignmentBot.Bench.dll pacing — the pacing rules on a simulated clock against a counting Teams; scripts/bench/pacing.sh.
// The PostgreSQL server comes from ALIGNMENTBOT_BENCH_POSTGRES (a connection string; each run creates and drops its own database).
if (args is ["chart", .. var save])
{
    return await ChartBench.RunAsync(Console.Out, save.FirstOrDefault());
}

switch (args)
{
    case ["token"]:
        return await TokenBench.RunAsync(Console.Out);
    case ["import"]:
        return await ImportBench.RunAsync(Console.Out);
    case ["ingest-keys", var directory]:
        return await IngestKeys.RunAsync(directory, Console.Out);
    case ["people-import"]:
        return await PeopleImportBench.RunAsync(Console.Out);
    case ["pacing"]:
        return PacingSimulation.Run(Console.Out);
}

var server = Environment.GetEnvironmentVariable("ALIGNMENTBOT_BENCH_POSTGRES");
if (string.IsNullOrEmpty(server))
{
    await Console.Error.WriteLineAsync("ALIGNMENTBOT_BENCH_POSTGRES is not set (a connection string to a PostgreSQL server; scripts/bench/*.sh set it).");
    return 64;
}

// The app's Dapper conventions (snake_case columns to PascalCase members), as AddStorage sets them.
StorageServiceCollectionExtensions.UseSqlConventions();
switch (args)
{
    case ["digest-generate"]:
        await DigestOrganisation.GenerateAsync(server, Console.Out);
        return 0;
    case ["digest"]:
        return await new DigestBench(server, Console.Out).RunAsync();
    case ["digest-profile"]:
        return await new DigestProfile(server, Console.Out).RunAsync();
    case ["fanout", "S", ..]:
        return await new SlackFanoutRun(server, Console.Out).RunAsync();
    case ["fanout", var name, .. var rest] when FanoutScenario.Find(name) is { } scenario && rest.Length <= 2
        && (rest.Length < 1 || int.TryParse(rest[0], System.Globalization.CultureInfo.InvariantCulture, out _))
        && (rest.Length < 2 || double.TryParse(rest[1], System.Globalization.CultureInfo.InvariantCulture, out _)):
        var latency = AlignmentBot.Tests.Teams.Fakes.FakeLatency.LikeTeams(
            rest.Length > 0 ? int.Parse(rest[0], System.Globalization.CultureInfo.InvariantCulture) : 20,
            rest.Length > 1 ? double.Parse(rest[1], System.Globalization.CultureInfo.InvariantCulture) : 0);
        if (scenario.Name == "M")
        {
            return await new ManyTenantsRun(scenario, latency, server, Console.Out).RunAsync();
        }

        var result = await new FanoutRun(scenario, latency, server, Console.Out).RunAsync();
        await Console.Out.WriteLineAsync(result.ToLine());
        return result.Lost == 0 ? 0 : 1;
    case ["spike"]:
        return await new SpikeBench(server, Console.Out).RunAsync();
    default:
        await Console.Error.WriteLineAsync($"usage: AlignmentBot.Bench fanout <{string.Join('|', FanoutScenario.All.Select(s => s.Name))}> [latency_ms] [503 share] | digest-generate | digest | digest-profile | chart | token | import | ingest-keys <dir> | spike | people-import | pacing");
        return 64;
}
