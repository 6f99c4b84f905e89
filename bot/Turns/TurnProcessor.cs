using AlignmentBot.Bot.Help;
using AlignmentBot.Bot.Hosting;

namespace AlignmentBot.Bot.Turns;

/// <summary>
/// Decides what a turn means and what the bot answers, whichever platform it came from: typed commands,
/// card buttons, the welcome after an install. Each platform's adapter turns its own request into one of these
/// calls (Teams: <c>TeamsTurnProcessor</c>; Slack: <c>SlackTurns</c>) and delivers the outcome its own way.
/// </summary>
public sealed class TurnProcessor(
    IEnumerable<IBotCommand> commands,
    IEnumerable<ICardAction> cardActions,
    ILogger<TurnProcessor> logger)
{
    private readonly Dictionary<string, IBotCommand> _commands = commands.ToDictionary(c => c.Name, StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, ICardAction> _cardActions = cardActions.ToDictionary(a => a.Verb, StringComparer.Ordinal);

    /// <summary>The commands people can type, for adapters that list them (e.g. a slash command's usage hint).</summary>
    public IEnumerable<IBotCommand> Commands => _commands.Values;

    /// <summary>A typed command (mentions already removed), e.g. "okrs team".</summary>
    public async Task<TurnOutcome> CommandAsync(Turn turn, string text, CancellationToken ct)
    {
        text = text.Trim();
        var space = text.IndexOf(' ', StringComparison.Ordinal);
        var name = space < 0 ? text : text[..space];
        var arguments = space < 0 ? "" : text[(space + 1)..].Trim();

        if (!_commands.TryGetValue(name, out var command))
        {
            return new TurnOutcome { Turn = turn, Replies = [Reply.WithText(HelpCards.UnknownCommand(text))] };
        }

        if (command.IsPrivate && turn.Conversation.Kind != "personal")
        {
            return turn.PersonId is null
                ? new TurnOutcome { Turn = turn, Replies = [Reply.WithText(PrivateElsewhere)] }
                : new TurnOutcome { Turn = turn, PrivateReplies = [await command.RunAsync(turn, arguments, ct)] };
        }

        return new TurnOutcome { Turn = turn, Replies = [await command.RunAsync(turn, arguments, ct)] };
    }

    /// <summary>
    /// A card button: the card as it should now look (<see cref="TurnOutcome.UpdatedCard"/>), or, for a verb no
    /// action knows (an old card), one text reply saying so and no updated card.
    /// </summary>
    public async Task<TurnOutcome> CardActionAsync(Turn turn, CardSubmission submission, CancellationToken ct)
    {
        if (!_cardActions.TryGetValue(submission.Verb, out var action))
        {
            logger.LogInformation("Card action with unknown verb {Verb}", LogText.Escape(submission.Verb));
            return new TurnOutcome { Turn = turn, Replies = [Reply.WithText(OutOfDate)] };
        }

        System.Diagnostics.Activity.Current?.SetTag("alignmentbot.card.verb", submission.Verb);
        var card = await action.HandleAsync(turn, submission, ct);
        return new TurnOutcome { Turn = turn, UpdatedCard = card };
    }

    /// <summary>The welcome when someone installs the bot for themselves.</summary>
    public static TurnOutcome Welcome(Turn turn, string? name) => new() { Turn = turn, Replies = [Reply.WithCard(HelpCards.Welcome(name))] };

    public const string PrivateElsewhere = "That is only for you: message me in a 1:1 chat and ask again.";

    public const string OutOfDate = "That button no longer does anything. Type help to see what I can do.";
}
