using System.Text.Json;
using AlignmentBot.Bot.Cards;
using AlignmentBot.Bot.Directory;
using AlignmentBot.Bot.Observability;
using AlignmentBot.Bot.Teams.Directory;
using AlignmentBot.Bot.Teams.Protocol;
using AlignmentBot.Bot.Turns;

namespace AlignmentBot.Bot.Teams.Turns;

/// <summary>
/// Teams' side of a turn: records who and where from the activity, then hands the neutral
/// <see cref="TurnProcessor"/> a typed command, a card button (an <c>adaptiveCard/action</c> invoke or an
/// <c>Action.Submit</c> message) or an install, and shapes the invoke answer Teams expects in the HTTP response.
/// </summary>
public sealed class TeamsTurnProcessor(ActivityRecorder recorder, ConversationDirectory directory, TurnProcessor turns)
{
    public const string CardActionInvoke = "adaptiveCard/action";

    public async Task<TeamsTurnResult> ProcessAsync(Activity activity, CancellationToken ct)
    {
        // The SQL of recording the parties and of the command or card action nests in this span.
        using var span = BotTelemetry.Source.StartActivity(BotTelemetry.Turn);
        span?.SetTag("alignmentbot.activity.type", activity.Type);
        var (turn, installation) = await recorder.RecordAsync(activity, ct);
        var (outcome, invoke) = await DecideAsync(activity, turn, installation, ct);
        return new TeamsTurnResult(activity, outcome with { Turn = turn }, invoke);
    }

    private async Task<(TurnOutcome Outcome, InvokeResponse? Invoke)> DecideAsync(Activity activity, Turn turn, Installation installation, CancellationToken ct)
    {
        switch (activity.Type)
        {
            case ActivityTypes.Message when activity.Value is { ValueKind: JsonValueKind.Object } value && string.IsNullOrWhiteSpace(activity.Text):
                return (await SubmittedCardAsync(turn, value, ct), null);
            case ActivityTypes.Message:
                return (await turns.CommandAsync(turn, MentionText.Clean(activity), ct), null);
            case ActivityTypes.Invoke when activity.Name == CardActionInvoke:
                return await InvokedCardAsync(activity, turn, ct);
            case ActivityTypes.Invoke:
                // Invokes we do not implement still need an answer in the same HTTP response.
                return (TurnOutcome.None, new InvokeResponse(200, null));
            case ActivityTypes.ConversationUpdate or ActivityTypes.InstallationUpdate when installation == Installation.PersonalInstalled:
                var name = activity.From?.Name ?? (turn.PersonId is { } personId ? await directory.PersonNameAsync(personId, ct) : null);
                return (TurnProcessor.Welcome(turn, name), null);
            default:
                return (TurnOutcome.None, null);
        }
    }

    /// <summary>Action.Submit: a message whose value is the button's data merged with the inputs.</summary>
    private async Task<TurnOutcome> SubmittedCardAsync(Turn turn, JsonElement value, CancellationToken ct)
    {
        var values = value.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone());
        var verb = values.TryGetValue(AdaptiveCardRenderer.VerbKey, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        return await turns.CardActionAsync(turn, new CardSubmission(verb ?? "", values, Automatic: false), ct);
    }

    /// <summary>Action.Execute: value = {action: {type, verb, data}, trigger}; the refreshed card goes back in the response.</summary>
    private async Task<(TurnOutcome, InvokeResponse?)> InvokedCardAsync(Activity activity, Turn turn, CancellationToken ct)
    {
        if (activity.Value is not { ValueKind: JsonValueKind.Object } value ||
            !value.TryGetProperty("action", out var invoked) || invoked.ValueKind != JsonValueKind.Object)
        {
            return Invoke(AdaptiveCardInvokeResponse.Error(400, "BadRequest", "The card action had no action."));
        }

        var verb = invoked.TryGetProperty("verb", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        var values = invoked.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object
            ? data.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone())
            : [];
        var automatic = value.TryGetProperty("trigger", out var trigger) && trigger.ValueKind == JsonValueKind.String && trigger.GetString() == "automatic";

        var outcome = await turns.CardActionAsync(turn, new CardSubmission(verb ?? "", values, automatic), ct);
        return outcome.UpdatedCard is { } card
            ? Invoke(AdaptiveCardInvokeResponse.Card(AdaptiveCardRenderer.Render(card)))
            : Invoke(AdaptiveCardInvokeResponse.Message(TurnProcessor.OutOfDate));
    }

    private static (TurnOutcome, InvokeResponse?) Invoke(AdaptiveCardInvokeResponse body) => (TurnOutcome.None, new InvokeResponse(200, body));
}
