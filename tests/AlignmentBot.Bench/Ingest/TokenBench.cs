using System.Diagnostics;
using System.Globalization;
using AlignmentBot.Bot.Teams;
using AlignmentBot.Bot.Teams.Auth;
using AlignmentBot.Bot.Teams.Connector;
using AlignmentBot.Tests.Teams.Auth;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AlignmentBot.Bench.Ingest;

/// <summary>
/// The inbound token check on its own, as /api/messages runs it (phase 1, then phase 2 against the activity):
/// first for tokens never seen (signature, issuer, audience, lifetime, endorsement), then for a token the
/// connector sends again, the common case. No database, no HTTP besides fetching the fake keys once.
/// </summary>
public static class TokenBench
{
    private const string AppId = "5d0c2f5e-8a36-4bb4-a35a-0b4d3b5a2a77";
    private const string ServiceUrl = "http://127.0.0.1:9/teams/";

    public static async Task<int> RunAsync(TextWriter log)
    {
        await using var identity = await FakeBotFrameworkIdentity.StartAsync();
        var options = Options.Create(new TeamsOptions
        {
            AppId = AppId,
            AppPassword = "unused",
            OpenIdMetadataUrl = identity.MetadataUrl,
            AllowedServiceUrlHosts = ["127.0.0.1"],
        });
        await using var services = new ServiceCollection().AddHttpClient().BuildServiceProvider();
        using var authenticator = new BotFrameworkAuthenticator(options, new ServiceUrlAllowList(options), services.GetRequiredService<IHttpClientFactory>(), TimeProvider.System);

        const int distinct = 2_000;
        // A second apart: distinct texts (RS256 signatures are deterministic, so equal claims would give equal tokens).
        var now = TimeProvider.System.GetUtcNow();
        var tokens = Enumerable.Range(0, distinct).Select(i => "Bearer " + identity.IssueToken(AppId, ServiceUrl, now.AddSeconds(-i))).ToArray();
        await CheckAsync(authenticator, tokens[0]); // fetches the keys, warms up
        var fresh = await MeasureAsync(authenticator, tokens.Skip(1).ToArray());
        var repeated = await MeasureAsync(authenticator, Enumerable.Repeat(tokens[0], 200_000).ToArray());
        await log.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"token: new_us={fresh.Micros:F1} new_alloc_b={fresh.Bytes:F0} repeated_us={repeated.Micros:F2} repeated_alloc_b={repeated.Bytes:F0}"));
        return 0;
    }

    private static async Task CheckAsync(BotFrameworkAuthenticator authenticator, string header)
    {
        var token = await authenticator.ValidateTokenAsync(header, CancellationToken.None);
        if (!token.Succeeded || !authenticator.ValidateActivity(token, "msteams", ServiceUrl).Succeeded)
        {
            throw new InvalidOperationException($"the bench token was refused: {token.FailureReason}");
        }
    }

    /// <summary>Per check: CPU time of this process (the figure; wall time on a shared machine mostly measures the others) and bytes allocated.</summary>
    private static async Task<(double Micros, double Bytes)> MeasureAsync(BotFrameworkAuthenticator authenticator, string[] headers)
    {
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        foreach (var header in headers)
        {
            await CheckAsync(authenticator, header);
        }

        var used = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        return (used.TotalMicroseconds / headers.Length, (double)(GC.GetAllocatedBytesForCurrentThread() - allocated) / headers.Length);
    }
}
