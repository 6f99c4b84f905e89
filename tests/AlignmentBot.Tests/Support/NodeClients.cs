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

    /// <summary>Runs a script in tests/clients and parses its JSON output (exit 0 or 1: it ran; anything else fails the test).</summary>
    public static async Task<JsonDocument> RunJsonAsync(string script, params string[] arguments)
    {
        var (exitCode, output, errors) = await RunAsync([script, .. arguments]);
        if (exitCode is not (0 or 1))
        {
            Assert.Fail($"node {script} exited with {exitCode}: {errors}");
        }

        return JsonDocument.Parse(output);
    }

    /// <summary>Runs <c>node</c> with the arguments in tests/clients; fails the test when the clients are not installed.</summary>
    public static async Task<(int ExitCode, string Output, string Errors)> RunAsync(params string[] arguments)
    {
        if (!System.IO.Directory.Exists(Path.Combine(Directory, "node_modules")))
        {
            Assert.Fail($"The Node clients are not installed: run scripts/test-clients.sh in the repository (scripts/test.sh does).");
        }

        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = Directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await errors);
    }
}
