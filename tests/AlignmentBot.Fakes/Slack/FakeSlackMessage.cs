using System.Text.Json.Nodes;

namespace AlignmentBot.Tests.Slack.Fakes;

/// <summary>A message the bot posted (or updated) in the fake workspace: the channel it landed in (a DM to <c>U…</c> lands in <c>D…</c>), its ts and body, and when it was posted on the fake's clock.</summary>
public sealed record FakeSlackMessage(string Channel, string Ts, JsonObject Body, string? PostedTo, int Version, DateTimeOffset At = default)
{
    public string? Text => (string?)Body["text"];
    public JsonArray? Blocks => Body["blocks"] as JsonArray;
}
