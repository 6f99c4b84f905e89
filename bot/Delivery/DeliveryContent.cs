using System.Text.Json;
using AlignmentBot.Bot.Cards;
using AlignmentBot.Bot.Turns;

namespace AlignmentBot.Bot.Delivery;

/// <summary>
/// Turns an outbox row's kind + payload into what is sent, at send time (so a card reflects the state
/// when it goes out). Each feature registers its kinds.
/// </summary>
public interface IDeliveryKind
{
    string Kind { get; }

    /// <summary>
    /// The message for the target person (null for a channel); null when it should no longer be sent (e.g. the pulse
    /// closed). Throws <see cref="JsonException"/> or <see cref="ArgumentException"/> for a payload it cannot use.
    /// </summary>
    Task<Reply?> RenderAsync(JsonElement payload, long? personId, CancellationToken ct);
}

/// <summary><c>notice</c>: a plain card — <c>{"title": ..., "text": ..., "reason": ...}</c>; the reason says why it was sent.</summary>
public sealed class NoticeKind : IDeliveryKind
{
    public const string Name = "notice";

    public string Kind => Name;

    public Task<Reply?> RenderAsync(JsonElement payload, long? personId, CancellationToken ct) => Task.FromResult<Reply?>(Render(payload));

    private static Reply Render(JsonElement payload)
    {
        var title = payload.GetProperty("title").GetString() ?? throw new ArgumentException("notice without a title");
        var text = payload.TryGetProperty("text", out var t) ? t.GetString() : null;
        var reason = payload.TryGetProperty("reason", out var r) ? r.GetString() : null;
        return Reply.WithCard(new Card(title)
        {
            Body = text is null ? [] : [new TextBlock(text)],
            Reason = reason,
        });
    }
}
