using System.Globalization;
using AlignmentBot.Bot.Turns;

namespace AlignmentBot.Bot.Okrs;

/// <summary><c>okrs</c>: my key results with a Check in button; <c>okrs team</c>: my teams' key results.</summary>
public sealed class OkrsCommand(OkrStore store, DependencyViews dependencies, TimeProvider time) : IBotCommand
{
    public string Name => "okrs";

    public bool IsPrivate => true;

    public string Description => "Your key results with a Check in button; `okrs team` for your team's.";

    public async Task<Reply> RunAsync(Turn turn, string arguments, CancellationToken ct)
    {
        if (turn.PersonId is not { } personId)
        {
            return Reply.WithText("I don't know who you are yet in this conversation. Message me in a 1:1 chat and try again.");
        }

        var now = time.GetUtcNow();
        switch (arguments.Trim().ToLowerInvariant())
        {
            case "" or "mine":
                var mine = await store.OwnedByAsync(personId, ct);
                return Reply.WithCard(OkrCards.Mine(mine, now, await dependencies.OfAsync(mine.Take(OkrCards.MaxListed).Select(k => k.Id), now, ct)));
            case "team":
                var team = await store.OfMyTeamsAsync(personId, ct);
                return Reply.WithCard(TeamCards.Team(team, personId, now, await dependencies.OfAsync(team.Select(k => k.KeyResult.Id), now, ct)));
            default:
                return Reply.WithText("Try `okrs` for your key results or `okrs team` for your team's.");
        }
    }
}

/// <summary>
/// <c>away until 2026-12-04</c>: no nudges through that day (their own calendar); <c>away off</c>: back;
/// <c>away</c>: what is set. Their key results show "owner away" meanwhile.
/// </summary>
public sealed class AwayCommand(OkrStore store, TimeProvider time) : IBotCommand
{
    public string Name => "away";

    public string Description => "`away until 2026-12-04` pauses your check-in reminders through that day; `away off` ends it.";

    private static readonly string[] Formats = ["yyyy-MM-dd", "d MMM yyyy", "d MMMM yyyy"];

    public async Task<Reply> RunAsync(Turn turn, string arguments, CancellationToken ct)
    {
        if (turn.PersonId is not { } personId)
        {
            return Reply.WithText("I don't know who you are yet in this conversation. Message me in a 1:1 chat and try again.");
        }

        var (zone, awayUntil) = await store.PersonAsync(personId, ct);
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(time.GetUtcNow(), Scheduler.Calendar.WorkingTime.Zone(zone, TimeZoneInfo.Utc)).DateTime);
        var text = arguments.Trim();
        if (text.Length == 0)
        {
            return Reply.WithText(awayUntil is { } until && DateOnly.FromDateTime(until) >= today
                ? $"You are away until {OkrText.Day(until)}: no check-in reminders until then. `away off` ends it."
                : "You are not set as away. `away until 2026-12-04` pauses your check-in reminders through that day.");
        }

        if (text.Equals("off", StringComparison.OrdinalIgnoreCase) || text.Equals("back", StringComparison.OrdinalIgnoreCase))
        {
            await store.SetAwayAsync(personId, null, ct);
            return Reply.WithText("Welcome back: check-in reminders are on again.");
        }

        var dateText = text.StartsWith("until ", StringComparison.OrdinalIgnoreCase) ? text[6..].Trim() : text;
        if (!DateOnly.TryParseExact(dateText, Formats, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out var date))
        {
            return Reply.WithText($"I couldn't read “{dateText}” as a date. Try `away until 2026-12-04`.");
        }

        if (date < today || date > today.AddYears(1))
        {
            return Reply.WithText($"Pick a day from today to a year from now; {date:yyyy-MM-dd} is not.");
        }

        await store.SetAwayAsync(personId, date, ct);
        return Reply.WithText($"Got it: no check-in reminders through {date.ToString("ddd d MMM yyyy", CultureInfo.InvariantCulture)}. Your key results show “owner away” to your team meanwhile; they still show as stale if a check-in is overdue. `away off` ends it early.");
    }
}
