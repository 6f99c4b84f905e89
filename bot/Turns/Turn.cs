using System.Text.Json;
using AlignmentBot.Bot.Cards;
using AlignmentBot.Bot.Directory;

namespace AlignmentBot.Bot.Turns;

/// <summary>
/// One thing a person did, on whichever platform: who (as stored) and where. The platform's own request
/// (a Teams activity, a Slack event) stays with its adapter; features see only this.
/// </summary>
public sealed record Turn(long TenantId, long? PersonId, ConversationRow Conversation);

/// <summary>What the bot says back: new messages, private answers, a replacement for the card acted on.</summary>
public sealed record TurnOutcome
{
    public static readonly TurnOutcome None = new();

    /// <summary>The turn this answers (set by <see cref="TurnProcessor"/>).</summary>
    public Turn? Turn { get; init; }

    public IReadOnlyList<Reply> Replies { get; init; } = [];
    /// <summary>Answers for the sender's eyes only, sent to their 1:1 chat (asked in a channel or group chat).</summary>
    public IReadOnlyList<Reply> PrivateReplies { get; init; } = [];
    /// <summary>The card a button was pressed on, as it should now look.</summary>
    public Card? UpdatedCard { get; init; }
}

public sealed record Reply(string? Text, Card? Card)
{
    public static Reply WithText(string text) => new(text, null);

    public static Reply WithCard(Card card) => new(null, card);
}

/// <summary>A typed command, e.g. "help" or "okrs team".</summary>
public interface IBotCommand
{
    string Name { get; }
    /// <summary>One line for the help card, e.g. "okrs — your key results and a Check in button".</summary>
    string Description { get; }
    /// <summary>Answers only the asker, in their 1:1 chat: asked elsewhere, the answer goes there and the chat hears only that.</summary>
    bool IsPrivate => false;
    Task<Reply> RunAsync(Turn turn, string arguments, CancellationToken ct);
}

/// <summary>What a card button does, by its verb; returns the card as it should look afterwards.</summary>
public interface ICardAction
{
    string Verb { get; }
    Task<Card> HandleAsync(Turn turn, CardSubmission submission, CancellationToken ct);
}

/// <summary>The data and input values a button sent, whichever way the platform delivered it.</summary>
public sealed record CardSubmission(string Verb, IReadOnlyDictionary<string, JsonElement> Values, bool Automatic)
{
    public string? Get(string key) => Values.TryGetValue(key, out var value)
        ? value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
            _ => null,
        }
        : null;
}
