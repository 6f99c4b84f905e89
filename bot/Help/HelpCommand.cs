using AlignmentBot.Bot.Cards;
using AlignmentBot.Bot.Turns;

namespace AlignmentBot.Bot.Help;

/// <summary><c>help</c>: what the bot does and every command it knows.</summary>
public sealed class HelpCommand(IServiceProvider services) : IBotCommand
{
    public string Name => "help";

    public string Description => "What I do and the commands I know (this card).";

    public Task<Reply> RunAsync(Turn turn, string arguments, CancellationToken ct) =>
        Task.FromResult(Reply.WithCard(HelpCards.Help(services.GetServices<IBotCommand>())));
}

/// <summary>The welcome card's "What can you do?" button: the card turns into the help card.</summary>
public sealed class ShowHelpAction(IServiceProvider services) : ICardAction
{
    public string Verb => HelpCards.ShowHelpVerb;

    public Task<Card> HandleAsync(Turn turn, CardSubmission submission, CancellationToken ct) =>
        Task.FromResult(HelpCards.Help(services.GetServices<IBotCommand>()));
}
