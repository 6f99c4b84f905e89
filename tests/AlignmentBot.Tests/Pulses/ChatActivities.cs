namespace AlignmentBot.Tests.Pulses;

/// <summary>Activities as Teams sends them from a person's 1:1 chat with the bot, in the pulse tests' tenant.</summary>
public static class ChatActivities
{
    /// <summary>An Action.Execute from a card: the button's data plus the inputs.</summary>
    public static object Invoke(string who, string verb, IReadOnlyDictionary<string, string> data, string serviceUrl) => new
    {
        type = "invoke",
        name = "adaptiveCard/action",
        id = Guid.NewGuid().ToString(),
        channelId = "msteams",
        serviceUrl,
        from = new { id = $"29:{who}", name = who },
        conversation = new { id = $"a:chat-{who}", conversationType = "personal", tenantId = PulseSeed.TenantExternalId },
        recipient = new { id = "28:bot", name = "AlignmentBot" },
        channelData = new { tenant = new { id = PulseSeed.TenantExternalId } },
        value = new { action = new { type = "Action.Execute", verb, data = new Dictionary<string, string>(data) { ["verb"] = verb } }, trigger = "manual" },
    };

    /// <summary>A message typed in the chat.</summary>
    public static object Message(string who, string text, string serviceUrl) => new
    {
        type = "message",
        id = Guid.NewGuid().ToString(),
        text,
        channelId = "msteams",
        serviceUrl,
        from = new { id = $"29:{who}", name = who },
        conversation = new { id = $"a:chat-{who}", conversationType = "personal", tenantId = PulseSeed.TenantExternalId },
        recipient = new { id = "28:bot", name = "AlignmentBot" },
        channelData = new { tenant = new { id = PulseSeed.TenantExternalId } },
    };
}
