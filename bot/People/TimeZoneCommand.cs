using AlignmentBot.Bot.Turns;
using AlignmentBot.Scheduler.People;
using Npgsql;

namespace AlignmentBot.Bot.People;

/// <summary><c>timezone Europe/Berlin</c>: the person's own zone, which beats their organisation's file, Graph and their client.</summary>
public sealed class TimeZoneCommand(NpgsqlDataSource dataSource, TimeProvider time) : IBotCommand
{
    public string Name => "timezone";

    public bool IsPrivate => true;

    public string Description => "“timezone Europe/Berlin”: set your time zone (pulses and nudges come in your working hours).";

    public async Task<Reply> RunAsync(Turn turn, string arguments, CancellationToken ct)
    {
        var given = arguments.Trim();
        if (turn.PersonId is not { } personId || given.Length == 0)
        {
            return Reply.WithText("Say “timezone” and your zone, e.g. “timezone Europe/Berlin” or “timezone America/New_York”.");
        }

        if (Zones.ToIana(given) is not { } zone)
        {
            return Reply.WithText($"I don't know the time zone \"{(given.Length <= 40 ? given : given[..40] + "…")}\". Use a name like Europe/Berlin, Asia/Tokyo or America/New_York.");
        }

        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await PersonFacts.WriteAsync(connection, null, [new PersonFact(personId, PersonFacts.TimeZone, PersonFacts.Self, zone)], time.GetUtcNow(), ct);
        return Reply.WithText($"Done: your time zone is {zone}. Pulses and nudges now come in your working hours there.");
    }
}
