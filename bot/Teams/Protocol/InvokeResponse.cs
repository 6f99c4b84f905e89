namespace AlignmentBot.Bot.Teams.Protocol;

/// <summary>What an invoke activity gets back in the same HTTP response: a status and a body.</summary>
public sealed record InvokeResponse(int Status, object? Body);

/// <summary>
/// The body of an <c>adaptiveCard/action</c> response: a refreshed card
/// (<see cref="CardType"/>), a message, or an error.
/// </summary>
public sealed record AdaptiveCardInvokeResponse(int StatusCode, string Type, object? Value)
{
    public const string CardType = "application/vnd.microsoft.card.adaptive";
    public const string MessageType = "application/vnd.microsoft.activity.message";
    public const string ErrorType = "application/vnd.microsoft.error";

    public static AdaptiveCardInvokeResponse Card(object card) => new(200, CardType, card);

    public static AdaptiveCardInvokeResponse Message(string text) => new(200, MessageType, text);

    public static AdaptiveCardInvokeResponse Error(int statusCode, string code, string message) =>
        new(statusCode, ErrorType, new { code, message });
}
