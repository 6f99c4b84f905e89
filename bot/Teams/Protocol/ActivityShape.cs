using AlignmentBot.Bot.Teams.Directory;

namespace AlignmentBot.Bot.Teams.Protocol;

/// <summary>
/// What an activity must look like before anything acts on it: valid JSON can still carry nulls where Teams never
/// sends them, ids no platform uses, or characters PostgreSQL cannot store. Such an activity is a 400, not a 500.
/// </summary>
public static class ActivityShape
{
    /// <summary>Teams' ids are a few hundred characters at most; longer ones would only flood logs and URLs.</summary>
    public const int MaxIdLength = 1024;

    private static readonly byte[] EscapedNul = "\\u0000"u8.ToArray();

    /// <summary>Why the activity cannot be handled, or null when it can.</summary>
    public static string? Problem(Activity activity, ReadOnlySpan<byte> body)
    {
        if (ContainsEscapedNul(body))
        {
            return "it contains a NUL character";
        }

        foreach (var (name, list) in new (string, IReadOnlyList<ChannelAccount>?)[] { ("membersAdded", activity.MembersAdded), ("membersRemoved", activity.MembersRemoved) })
        {
            if (list is not null && list.Any(m => m is null || !IsId(m.Id)))
            {
                return $"{name} holds an entry without an id";
            }
        }

        if (activity.Entities?.Any(e => e is null) == true || activity.Attachments?.Any(a => a is null) == true)
        {
            return "entities or attachments hold a null";
        }

        if ((activity.From is { } from && !IsId(from.Id)) || (activity.Recipient is { } recipient && !IsId(recipient.Id)))
        {
            return "from or recipient has no usable id";
        }

        if (activity.Conversation is { } conversation && (conversation.Id is null || conversation.Id.Length > MaxIdLength))
        {
            return "the conversation id is missing or too long";
        }

        if (activity.Conversation?.Id is { Length: > 0 } && ActivityRecorder.ConversationKind(activity.Conversation) == "personal" && !ActivityRecorder.IsPerson(activity.From, activity))
        {
            return "a personal conversation's activity does not come from a person";
        }

        return null;
    }

    private static bool IsId(string? id) => id is { Length: > 0 and <= MaxIdLength };

    // JSON can carry a NUL only escaped; PostgreSQL text cannot store it at all. (A literal "\\u0000" is refused too.)
    private static bool ContainsEscapedNul(ReadOnlySpan<byte> body) => body.IndexOf(EscapedNul) >= 0;
}
