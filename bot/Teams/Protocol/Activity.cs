using System.Text.Json;
using System.Text.Json.Serialization;

namespace AlignmentBot.Bot.Teams.Protocol;

/// <summary>
/// A Bot Framework activity (the Bot Connector's JSON, camelCase). Only what the bot reads or writes
/// is typed; everything else is kept in <see cref="Extra"/> so nothing a client sends is lost.
/// </summary>
public sealed record Activity
{
    public string Type { get; init; } = "";
    public string? Id { get; init; }
    public DateTimeOffset? Timestamp { get; init; }
    public string? LocalTimezone { get; init; }
    public string? ServiceUrl { get; init; }
    public string? ChannelId { get; init; }
    public ChannelAccount? From { get; init; }
    public ConversationAccount? Conversation { get; init; }
    public ChannelAccount? Recipient { get; init; }
    public string? TextFormat { get; init; }
    public string? Text { get; init; }
    public string? Summary { get; init; }
    public string? Locale { get; init; }
    public string? AttachmentLayout { get; init; }
    public IReadOnlyList<Attachment>? Attachments { get; init; }
    public IReadOnlyList<Entity>? Entities { get; init; }
    public IReadOnlyList<ChannelAccount>? MembersAdded { get; init; }
    public IReadOnlyList<ChannelAccount>? MembersRemoved { get; init; }
    /// <summary>installationUpdate: add, remove, add-upgrade, remove-upgrade.</summary>
    public string? Action { get; init; }
    /// <summary>invoke: e.g. adaptiveCard/action.</summary>
    public string? Name { get; init; }
    public JsonElement? Value { get; init; }
    public JsonElement? ChannelData { get; init; }
    public string? ReplyToId { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; init; }

    public TeamsChannelData? Teams => TeamsChannelData.From(ChannelData);
}

public static class ActivityTypes
{
    public const string Message = "message";
    public const string ConversationUpdate = "conversationUpdate";
    public const string InstallationUpdate = "installationUpdate";
    public const string Invoke = "invoke";
    public const string MessageReaction = "messageReaction";
    public const string Typing = "typing";
    public const string MessageUpdate = "messageUpdate";
    public const string MessageDelete = "messageDelete";
    public const string Event = "event";
}

public sealed record ChannelAccount
{
    public string Id { get; init; } = "";
    public string? Name { get; init; }
    public string? AadObjectId { get; init; }
    public string? Role { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; init; }
}

public sealed record ConversationAccount
{
    public string Id { get; init; } = "";
    public string? Name { get; init; }
    /// <summary>personal, channel or groupChat.</summary>
    public string? ConversationType { get; init; }
    public string? TenantId { get; init; }
    public bool? IsGroup { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; init; }
}

public sealed record Attachment
{
    public string ContentType { get; init; } = "";
    public string? ContentUrl { get; init; }
    public object? Content { get; init; }
    public string? Name { get; init; }
}

/// <summary>An entity such as an @mention (<c>type: "mention"</c>).</summary>
public sealed record Entity
{
    public string Type { get; init; } = "";
    public ChannelAccount? Mentioned { get; init; }
    public string? Text { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; init; }
}

/// <summary>The id the Bot Connector returns for a created activity or conversation.</summary>
public sealed record ResourceResponse(string? Id);
