using AlignmentBot.Bot.Cards;
using AlignmentBot.Bot.Turns;

namespace AlignmentBot.Bot.Help;

/// <summary>What the bot says about itself: the help card, the welcome card, the hint for unknown text.</summary>
public static class HelpCards
{
    public const string ShowHelpVerb = "help.show";

    public static Card Help(IEnumerable<IBotCommand> commands) => new("AlignmentBot")
    {
        Subtitle = "Keeps your team's goals in sight, right here in chat.",
        Body =
        [
            new TextBlock("What I do", TextEmphasis.Heading),
            new FactList(
            [
                new Fact("Pulse surveys", "A few questions every other week, answered right in the card. Your manager sees team results only, and only when enough people answered."),
                new Fact("Check-in nudges", "When a key result you own needs an update, a one-tap check-in card — in your working hours, at most 5 a week."),
                new Fact("Weekly digest", "Every Monday your team channel gets progress, what went stale and pulse trends."),
            ]),
            new TextBlock("Commands", TextEmphasis.Heading),
            new FactList(commands.OrderBy(c => c.Name, StringComparer.Ordinal).Select(c => new Fact(c.Name, c.Description)).ToList()),
            new TextBlock("In a channel, @mention me first: \"@AlignmentBot help\".", TextEmphasis.Subtle),
        ],
    };

    public static Card Welcome(string? name) => new($"Hi{(string.IsNullOrWhiteSpace(name) ? "" : " " + FirstName(name))}, I'm AlignmentBot")
    {
        Subtitle = "I help your team keep its goals in sight without leaving chat.",
        Body =
        [
            new TextBlock("From time to time I'll send you a short pulse survey and, when a key result you own needs an update, a one-tap check-in. Nothing outside your working hours."),
            new TextBlock("Type help at any time to see what I can do.", TextEmphasis.Subtle),
        ],
        Actions = [new CardAction("What can you do?", ShowHelpVerb) { Style = ActionStyle.Primary, SubmitsInputs = false }],
    };

    public static string UnknownCommand(string text) =>
        text.Length == 0
            ? "Type help to see what I can do."
            : $"Sorry, I don't know \"{Shorten(text)}\". Type help to see what I can do.";

    private static string FirstName(string name) => name.Trim().Split(' ')[0];

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
