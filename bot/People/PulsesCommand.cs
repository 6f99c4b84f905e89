using AlignmentBot.Bot.Turns;
using AlignmentBot.Scheduler.People;
using Npgsql;

namespace AlignmentBot.Bot.People;

/// <summary><c>pulses off</c> / <c>pulses on</c>: the person's own choice, which beats anything their organisation set.</summary>
public sealed class PulsesCommand(NpgsqlDataSource dataSource, TimeProvider time) : IBotCommand
{
    public string Name => "pulses";

    public bool IsPrivate => true;

    public string Description => "“pulses off” to stop getting pulse surveys, “pulses on” to get them again.";

    public async Task<Reply> RunAsync(Turn turn, string arguments, CancellationToken ct)
    {
        bool? off = arguments.Trim().ToLowerInvariant() switch
        {
            "off" or "stop" => true,
            "on" or "start" => false,
            _ => null,
        };
        if (turn.PersonId is not { } personId || off is not { } optOut)
        {
            return Reply.WithText("Say “pulses off” to stop getting pulse surveys, or “pulses on” to get them again.");
        }

        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await PersonFacts.WriteAsync(connection, null, [new PersonFact(personId, PersonFacts.OptedOut, PersonFacts.Self, PersonFacts.Bool(optOut))], time.GetUtcNow(), ct);
        return Reply.WithText(optOut
            ? "Done: no more pulse surveys for you, starting with the next one. Your earlier answers stay anonymous in their results. Say “pulses on” to come back."
            : "Done: you'll get pulse surveys again, starting with the next one.");
    }
}
