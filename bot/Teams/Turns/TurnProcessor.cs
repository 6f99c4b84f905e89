using System.Text.Json;
using AlignmentBot.Bot.Cards;
using AlignmentBot.Bot.Help;
using AlignmentBot.Bot.Hosting;
using AlignmentBot.Bot.Observability;
using AlignmentBot.Bot.Teams.Directory;
using AlignmentBot.Bot.Teams.Protocol;

namespace AlignmentBot.Bot.Teams.Turns;

/// <summary>
/// Decides what an inbound activity means and what the bot answers: typed commands, card buttons
/// (as <c>adaptiveCard/action</c> invokes or as <c>Action.Submit</c> messages), install events.
/// </summary>
public sealed class TurnProcessor(
    ActivityRecorder recorder,
    ConversationDirectory directory,
    IEnumerable<IBotCommand> commands,
    IEnumerable<ICardAction> cardActions,
    ILogger<TurnProcessor> logger)
{
    public const string CardActionInvoke = "adaptiveCard/action";

    private readonly Dictionary<string, IBotCommand> _commands = commands.ToDictionary(c => c.Name, StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, ICardAction> _cardActions = cardActions.ToDictionary(a => a.Verb, StringComparer.Ordinal);

    public async Task<TurnOutcome> ProcessAsync(Activity activity, CancellationToken ct)
    {
        // The SQL of recording the parties and of the command or card action nests in this span.
        using var span = BotTelemetry.Source.StartActivity(BotTelemetry.Turn);
        span?.SetTag("alignmentbot.activity.type", activity.Type);
        var (turn, installation) = await recorder.RecordAsync(activity, ct);
        return await DecideAsync(turn, installation, ct) with { Turn = turn };
    }

    private async Task<TurnOutcome> DecideAsync(Turn turn, Installation installation, CancellationToken ct)
    {
        var activity = turn.Activity;

        switch (activity.Type)
        {
            case ActivityTypes.Message when activity.Value is { ValueKind: JsonValueKind.Object } value && string.IsNullOrWhiteSpace(activity.Text):
                return await SubmittedCardAsync(turn, value, ct);
            case ActivityTypes.Message:
                return await CommandAsync(turn, ct);
            case ActivityTypes.Invoke when activity.Name == CardActionInvoke:
                return await InvokedCardAsync(turn, ct);
            case ActivityTypes.Invoke:
                // Invokes we do not implement still need an answer in the same HTTP response.
                return new TurnOutcome { Invoke = new InvokeResponse(200, null) };
            case ActivityTypes.ConversationUpdate or ActivityTypes.InstallationUpdate when installation == Installation.PersonalInstalled:
                var name = activity.From?.Name ?? (turn.PersonId is { } personId ? await directory.PersonNameAsync(personId, ct) : null);
                return new TurnOutcome { Replies = [Reply.WithCard(HelpCards.Welcome(name))] };
            default:
                return TurnOutcome.None;
        }
    }

    private async Task<TurnOutcome> CommandAsync(Turn turn, CancellationToken ct)
    {
        var text = MentionText.Clean(turn.Activity);
        var space = text.IndexOf(' ', StringComparison.Ordinal);
        var name = space < 0 ? text : text[..space];
        var arguments = space < 0 ? "" : text[(space + 1)..].Trim();

        if (!_commands.TryGetValue(name, out var command))
        {
            return new TurnOutcome { Replies = [Reply.WithText(HelpCards.UnknownCommand(text))] };
        }

        if (command.IsPrivate && turn.Conversation.Kind != "personal")
        {
            return turn.PersonId is null
                ? new TurnOutcome { Replies = [Reply.WithText(PrivateElsewhere)] }
                : new TurnOutcome { PrivateReplies = [await command.RunAsync(turn, arguments, ct)] };
        }

        return new TurnOutcome { Replies = [await command.RunAsync(turn, arguments, ct)] };
    }

    /// <summary>Action.Submit: a message whose value is the button's data merged with the inputs.</summary>
    private async Task<TurnOutcome> SubmittedCardAsync(Turn turn, JsonElement value, CancellationToken ct)
    {
        var values = value.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone());
        var verb = values.TryGetValue(AdaptiveCardRenderer.VerbKey, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        if (verb is null || !_cardActions.TryGetValue(verb, out var action))
        {
            return new TurnOutcome { Replies = [Reply.WithText(OutOfDate)] };
        }

        var card = await action.HandleAsync(turn, new CardSubmission(verb, values, Automatic: false), ct);
        return new TurnOutcome { UpdatedCard = card };
    }

    /// <summary>Action.Execute: value = {action: {type, verb, data}, trigger}; the refreshed card goes back in the response.</summary>
    private async Task<TurnOutcome> InvokedCardAsync(Turn turn, CancellationToken ct)
    {
        if (turn.Activity.Value is not { ValueKind: JsonValueKind.Object } value ||
            !value.TryGetProperty("action", out var invoked) || invoked.ValueKind != JsonValueKind.Object)
        {
            return Invoke(AdaptiveCardInvokeResponse.Error(400, "BadRequest", "The card action had no action."));
        }

        var verb = invoked.TryGetProperty("verb", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        var values = invoked.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object
            ? data.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone())
            : [];
        var automatic = value.TryGetProperty("trigger", out var trigger) && trigger.ValueKind == JsonValueKind.String && trigger.GetString() == "automatic";

        if (verb is null || !_cardActions.TryGetValue(verb, out var action))
        {
            logger.LogInformation("Card action with unknown verb {Verb}", LogText.Escape(verb));
            return Invoke(AdaptiveCardInvokeResponse.Message(OutOfDate));
        }

        System.Diagnostics.Activity.Current?.SetTag("alignmentbot.card.verb", verb);
        var card = await action.HandleAsync(turn, new CardSubmission(verb, values, automatic), ct);
        return Invoke(AdaptiveCardInvokeResponse.Card(AdaptiveCardRenderer.Render(card)));
    }

    public const string PrivateElsewhere = "That is only for you: message me in a 1:1 chat and ask again.";

    private const string OutOfDate = "That button no longer does anything. Type help to see what I can do.";

    private static TurnOutcome Invoke(AdaptiveCardInvokeResponse body) => new() { Invoke = new InvokeResponse(200, body) };
}
