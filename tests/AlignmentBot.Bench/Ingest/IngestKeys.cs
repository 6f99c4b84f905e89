using System.Runtime.InteropServices;
using System.Text.Json;
using AlignmentBot.Tests.Teams.Auth;

namespace AlignmentBot.Bench.Ingest;

/// <summary>
/// For scripts/bench/ingest.sh: the fake Bot Framework keys both bots trust, one token signed with them and the
/// typing activity wrk sends, written as files into a directory; serves the keys until SIGTERM.
/// </summary>
public static class IngestKeys
{
    public const string AppId = "5d0c2f5e-8a36-4bb4-a35a-0b4d3b5a2a77";
    public const string TenantId = "72f988bf-86f1-41af-91ab-2d7cd011db47";

    public static async Task<int> RunAsync(string directory, TextWriter log)
    {
        await using var identity = await FakeBotFrameworkIdentity.StartAsync();
        // A serviceUrl nothing listens on: a typing activity is never answered, so neither bot calls it.
        var serviceUrl = "http://127.0.0.1:9/teams/";
        Directory.CreateDirectory(directory);
        await File.WriteAllTextAsync(Path.Combine(directory, "openid_url"), identity.MetadataUrl);
        await File.WriteAllTextAsync(Path.Combine(directory, "local_base"), identity.BaseAddress.ToString().TrimEnd('/'));
        await File.WriteAllTextAsync(Path.Combine(directory, "token"), identity.IssueToken(AppId, serviceUrl, TimeProvider.System.GetUtcNow(), lifetime: TimeSpan.FromHours(3)));
        await File.WriteAllTextAsync(Path.Combine(directory, "typing.json"), JsonSerializer.Serialize(new
        {
            type = "typing",
            id = "f:typing-1",
            timestamp = "2026-11-27T10:00:00.000Z",
            channelId = "msteams",
            serviceUrl,
            from = new { id = "29:1a2b3c-typing-person", name = "Ada Lovelace", aadObjectId = "6b1e2c3d-0000-4000-8000-00000000a1a1" },
            conversation = new { id = "a:1typing-personal-chat", conversationType = "personal", tenantId = TenantId },
            recipient = new { id = "28:" + AppId, name = "AlignmentBot" },
            channelData = new { tenant = new { id = TenantId } },
        }));
        await File.WriteAllTextAsync(Path.Combine(directory, "ready"), "");
        await log.WriteLineAsync($"ingest keys at {identity.MetadataUrl}");

        var stop = new TaskCompletionSource();
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            stop.TrySetResult();
        });
        await stop.Task;
        return 0;
    }
}
