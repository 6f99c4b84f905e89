using System.Text.Json;
using System.Text.Json.Serialization;

namespace AlignmentBot.Bot.Teams.Protocol;

/// <summary>The Bot Connector's JSON conventions: camelCase, nulls left out, names matched loosely on read.</summary>
public static class ProtocolJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
