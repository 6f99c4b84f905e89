using AlignmentBot.Bot.Cards;
using AlignmentBot.Bot.Pulses;
using AlignmentBot.Bot.Turns;
using AlignmentBot.Scheduler.FocusAreas;
using Dapper;
using Npgsql;

namespace AlignmentBot.Bot.FocusAreas;

/// <summary>
/// A person's answer to "Did it help?", kept as their pulse answers are: under the run's respondent key (no person
/// id, no time), rewritten in random order by <see cref="AnsweredMarker"/>. Only the run that asks about the focus
/// takes an answer to it; an empty answer removes one (the question is optional).
/// </summary>
public sealed class FocusFollowupStore(NpgsqlDataSource dataSource)
{
    private const string Upsert = """
        INSERT INTO focus_followups (focus_area_id, run_id, respondent_key, answer)
        SELECT f.id, @RunId, @Key, @Answer FROM focus_areas f WHERE f.id = @FocusId AND f.followup_run_id = @RunId
        ON CONFLICT (focus_area_id, respondent_key) DO UPDATE SET answer = EXCLUDED.answer, shuffled = false
        """;

    private const string Delete = "DELETE FROM focus_followups WHERE focus_area_id = @FocusId AND run_id = @RunId AND respondent_key = @Key";

    private const string Select = "SELECT answer FROM focus_followups WHERE focus_area_id = @FocusId AND run_id = @RunId AND respondent_key = @Key";

    /// <summary>The submitted follow-up answer, checked: null when the card does not ask or nothing was picked.</summary>
    public static (string? Answer, string? Problem) Read(PersonRun run, CardSubmission submission)
    {
        if (run.Focus is not { Asks: true } f || submission.Get(FocusCardBlocks.InputId(f.Id))?.Trim() is not { Length: > 0 } raw)
        {
            return (null, null);
        }

        return FocusFollowups.Answers.Contains(raw) ? (raw, null) : (null, $"“{FocusText.Question(f.Driver)}” takes Yes, Somewhat or No.");
    }

    /// <summary>Records (or, with null, removes) the answer, when this run asks about the focus.</summary>
    public async Task RecordAsync(PersonRun run, byte[] key, string? answer, CancellationToken ct)
    {
        if (run.Focus is not { Asks: true } f)
        {
            return;
        }

        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(answer is null ? Delete : Upsert,
            new { FocusId = f.Id, run.RunId, Key = key, Answer = answer }, cancellationToken: ct));
    }

    /// <summary>The author's own answer, to fill the card in when they edit.</summary>
    public async Task<string?> AnswerAsync(PersonRun run, byte[] key, CancellationToken ct)
    {
        if (run.Focus is not { Asks: true } f)
        {
            return null;
        }

        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await connection.ExecuteScalarAsync<string?>(new CommandDefinition(Select, new { FocusId = f.Id, run.RunId, Key = key }, cancellationToken: ct));
    }

    /// <summary>The card with the follow-up's own value filled in (the pulse's values are by question id).</summary>
    public static Card WithFollowup(Card card, PersonRun run, string? value) => value is null || run.Focus is not { Asks: true } f ? card : card with
    {
        Body = [.. card.Body.Select(b => b is ChoiceQuestion c && c.Id == FocusCardBlocks.InputId(f.Id) ? c with { Value = value } : b)],
    };
}
