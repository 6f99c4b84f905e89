using System.Net;
using System.Text.RegularExpressions;
using AlignmentBot.Bot.Teams.Protocol;

namespace AlignmentBot.Bot.Teams.Turns;

/// <summary>The words a person typed, without the "@AlignmentBot" that a channel message starts with.</summary>
public static partial class MentionText
{
    public static string Clean(Activity activity)
    {
        var text = activity.Text ?? "";
        foreach (var mention in activity.Entities ?? [])
        {
            if (mention.Type == "mention" && mention.Text is { Length: > 0 } mentionText &&
                (mention.Mentioned?.Id == activity.Recipient?.Id || activity.Recipient is null))
            {
                text = text.Replace(mentionText, " ", StringComparison.Ordinal);
            }
        }

        // Some clients send the mention markup without an entity.
        text = AtTag().Replace(text, " ");
        text = WebUtility.HtmlDecode(Tags().Replace(text, " "));
        return Spaces().Replace(text, " ").Trim();
    }

    [GeneratedRegex("<at>[^<]*</at>", RegexOptions.IgnoreCase)]
    private static partial Regex AtTag();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tags();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
