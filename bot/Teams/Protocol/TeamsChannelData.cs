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
            Property(data, "team") is { } team ? new TeamInfo(String(team, "id") ?? "", String(team, "name"), String(team, "aadGroupId")) : null,
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
