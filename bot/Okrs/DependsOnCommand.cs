using AlignmentBot.Bot.Turns;
using AlignmentBot.Scheduler.Okrs.Dependencies;

namespace AlignmentBot.Bot.Okrs;

/// <summary><c>depends on &lt;key&gt;</c>: the owner says their key result waits for another (any team's); audited.</summary>
public sealed class DependsOnCommand(DependencyEditor editor) : IBotCommand
{
    public string Name => "depends";

    public string Description => "`depends on <key>` notes that your key result waits for another (`for <your key>`, `by <date>`, `note <text>` optional).";

    public async Task<Reply> RunAsync(Turn turn, string arguments, CancellationToken ct)
    {
        if (turn.PersonId is not { } personId)
        {
            return Reply.WithText("I don't know who you are yet in this conversation. Message me in a 1:1 chat and try again.");
        }

        var (edit, problem) = DependencyChat.Parse(arguments);
        if (edit is null)
        {
            return Reply.WithText(problem!);
        }

        return Reply.WithText(DependencyChat.Say(await editor.AddAsync(turn.TenantId, personId, edit.Key, edit.For, edit.NeededBy, edit.Note, ct), edit.NeededBy));
    }
}
