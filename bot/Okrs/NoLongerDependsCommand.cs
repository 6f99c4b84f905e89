using AlignmentBot.Bot.Turns;
using AlignmentBot.Scheduler.Okrs.Dependencies;

namespace AlignmentBot.Bot.Okrs;

/// <summary><c>no longer depends on &lt;key&gt;</c>: the owner removes a dependency of their key result; audited.</summary>
public sealed class NoLongerDependsCommand(DependencyEditor editor) : IBotCommand
{
    private const string Prefix = "longer depends ";

    public string Name => "no";

    public string Description => "`no longer depends on <key>` removes a dependency of your key result (`for <your key>` when you own several).";

    public async Task<Reply> RunAsync(Turn turn, string arguments, CancellationToken ct)
    {
        if (turn.PersonId is not { } personId)
        {
            return Reply.WithText("I don't know who you are yet in this conversation. Message me in a 1:1 chat and try again.");
        }

        var text = arguments.Trim();
        if (!text.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            return Reply.WithText("Did you mean `no longer depends on <key>`? Type `help` for everything I understand.");
        }

        var (edit, problem) = DependencyChat.Parse(text[Prefix.Length..]);
        if (edit is null)
        {
            return Reply.WithText(problem!);
        }

        return Reply.WithText(DependencyChat.Say(await editor.RemoveAsync(turn.TenantId, personId, edit.Key, edit.For, ct)));
    }
}
