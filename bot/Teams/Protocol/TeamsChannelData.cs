using System.Text.Json;

namespace AlignmentBot.Bot.Teams.Protocol;

/// <summary>The Teams-specific part of <c>channelData</c>: tenant, team, channel, event type.</summary>
public sealed record TeamsChannelData(string? TenantId, TeamInfo? Team, ChannelInfo? Channel, string? EventType)
{
    public static TeamsChannelData? From(JsonElement? channelData)
    {
        if (channelData is not { ValueKind: JsonValueKind.Object } data)
        {
            return null;
        }

        return new TeamsChannelData(
            Property(data, "tenant") is { } tenant ? String(tenant, "id") : null,
            // A team without an id is no team we could store or read a roster of.
            Property(data, "team") is { } team && String(team, "id") is { Length: > 0 and <= ActivityShape.MaxIdLength } teamId
                ? new TeamInfo(teamId, String(team, "name"), String(team, "aadGroupId")) : null,
            Property(data, "channel") is { } channel ? new ChannelInfo(String(channel, "id") ?? "", String(channel, "name")) : null,
            String(data, "eventType"));
    }

    private static JsonElement? Property(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object ? value : null;

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}

public sealed record TeamInfo(string Id, string? Name, string? AadGroupId);

public sealed record ChannelInfo(string Id, string? Name);
