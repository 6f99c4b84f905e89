using System.Text.Json;

namespace AlignmentBot.Bot.Slack;

/// <summary>A whole listing's items; <see cref="Error"/> is Slack's error when it could not be read to the end (the items then are partial).</summary>
public sealed record SlackListing(IReadOnlyList<JsonElement> Items, string? Error)
{
    public bool Ok => Error is null;
}
