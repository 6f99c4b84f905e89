using System.Diagnostics;
using System.Net;
using AlignmentBot.Tests.Support;
using Npgsql;

namespace AlignmentBot.Tests.Scripts;

/// <summary>The README's "run it" command does what it says.</summary>
public class RunScriptTests
{
    [Test]
    public async Task Run_script_starts_the_database_migrates_and_brings_health_to_200_within_60_seconds()
    {
        var server = new NpgsqlConnectionStringBuilder(TestDatabase.ServerConnectionString);
        var databaseName = $"abt_run_{Guid.NewGuid():N}"[..20];
        var url = $"http://127.0.0.1:{BotProcess.FreePort()}";
        var start = new ProcessStartInfo("bash") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(RepositoryPaths.Root, "scripts", "run.sh"));
        // The same cluster the tests use (scripts/test.sh exports its data directory), a database of its own.
        start.Environment["ALIGNMENTBOT_PG_PORT"] = server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["ALIGNMENTBOT_PG_DB"] = databaseName;
        start.Environment["ALIGNMENTBOT_URLS"] = url;
        // The solution is already built by `dotnet test`; building again while tests run would race.
        start.Environment["ALIGNMENTBOT_SKIP_BUILD"] = "1";
        start.Environment.Remove("ConnectionStrings__Postgres");

        var clock = Stopwatch.StartNew();
        using var run = Process.Start(start)!;
        var output = run.StandardOutput.ReadToEndAsync();
        var errors = run.StandardError.ReadToEndAsync();
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            var status = await Eventually.ValueAsync(
                async () =>
                {
                    if (run.HasExited)
                    {
                        Assert.Fail($"run.sh exited with {run.ExitCode}: {await errors}");
                    }

                    try
                    {
                        return (await http.GetAsync(new Uri($"{url}/healthz"))).StatusCode;
                    }
                    catch (HttpRequestException)
                    {
                        return HttpStatusCode.ServiceUnavailable;
                    }
                },
                code => code == HttpStatusCode.OK,
                TimeSpan.FromSeconds(60),
                "run.sh to bring /healthz to 200");

            Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
            TestContext.Out.WriteLine($"run.sh: /healthz 200 after {clock.Elapsed.TotalSeconds:0.0} s");
        }
        finally
        {
            run.Kill(entireProcessTree: true);
            await run.WaitForExitAsync();
            NpgsqlConnection.ClearAllPools();
            await TestDatabase.ExecuteOnServerAsync($"DROP DATABASE IF EXISTS \"{databaseName}\" WITH (FORCE)");
        }
    }
}
