using System.Net;
using System.Text.Json;

namespace AlignmentBot.Bot.Slack;

/// <summary>
/// One Web API call's answer. Slack reports most failures as HTTP 200 with <c>{"ok":false,"error":"..."}</c>, so
/// <see cref="Ok"/> comes from the body; a 429 carries <see cref="RetryAfter"/>; no answer at all has a null status.
/// </summary>
public sealed record SlackApiResult
{
    public HttpStatusCode? StatusCode { get; init; }
    public bool Ok { get; init; }

    /// <summary>Slack's error code (e.g. <c>channel_not_found</c>), <c>ratelimited</c> for a 429, or what went wrong locally.</summary>
    public string? Error { get; init; }

    public TimeSpan? RetryAfter { get; init; }

    /// <summary>The body, when it was JSON.</summary>
    public JsonElement Body { get; init; }

    public string? GetString(params string[] path)
    {
        var element = Body;
        foreach (var name in path)
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out element))
            {
                return null;
            }
        }

        return element.ValueKind == JsonValueKind.String ? element.GetString() : null;
    }

    public static SlackApiResult NoResponse(string why) => new() { Error = why };
}
