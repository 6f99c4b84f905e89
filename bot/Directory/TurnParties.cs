namespace AlignmentBot.Bot.Directory;

/// <summary>Who a turn is from and where it happens, as stored.</summary>
public sealed record TurnParties(long TenantId, long? PersonId, ConversationRow Conversation);
