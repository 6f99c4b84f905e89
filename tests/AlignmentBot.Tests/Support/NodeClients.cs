using System.Diagnostics;
using System.Text.Json;

namespace AlignmentBot.Tests.Support;

/// <summary>
/// Runs the real offline clients in tests/clients (the official adaptivecards parser, the Teams
/// manifest validator) through Node. scripts/test.sh installs them (npm ci) before the tests.
/// </summary>
public static class NodeClients
{
    public static string Directory => Path.Combine(RepositoryPaths.Root, "tests", "clients");

    public static async Task<JsonDocument> RunJsonAsync(string script, params string[] arguments)
    {
        if (!System.IO.Directory.Exists(Path.Combine(Directory, "node_modules")))
        {
            Assert.Fail($"The Node clients are not installed: run `npm ci` in {Directory} (scripts/test.sh does this).");
        }

        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = Directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(script);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode is not (0 or 1))
        {
            Assert.Fail($"node {script} exited with {process.ExitCode}: {await errors}");
        }

        return JsonDocument.Parse(await output);
    }
}
