using System.Text.Json;
using AlignmentBot.Bot.Teams.Protocol;

namespace AlignmentBot.Tests.Teams;

/// <summary>The documented Teams payloads in Teams/Payloads, with the serviceUrl of the test's choosing.</summary>
public static class TeamsPayloads
{
    public static string Json(string name, string serviceUrl) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Teams", "Payloads", name + ".json"))
            .Replace("{{serviceUrl}}", serviceUrl, StringComparison.Ordinal);

    public static Activity Activity(string name, string serviceUrl = "https://smba.trafficmanager.net/emea/") =>
        JsonSerializer.Deserialize<Activity>(Json(name, serviceUrl), ProtocolJson.Options)!;
}
