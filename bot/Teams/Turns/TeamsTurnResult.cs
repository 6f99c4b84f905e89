using AlignmentBot.Bot.Teams.Protocol;
using AlignmentBot.Bot.Turns;

namespace AlignmentBot.Bot.Teams.Turns;

/// <summary>A Teams turn's answer: the activity it answers, the neutral outcome, and the invoke answer for the HTTP response.</summary>
public sealed record TeamsTurnResult(Activity Inbound, TurnOutcome Outcome, InvokeResponse? Invoke)
{
    public IReadOnlyList<Reply> Replies => Outcome.Replies;
    public IReadOnlyList<Reply> PrivateReplies => Outcome.PrivateReplies;
    public Cards.Card? UpdatedCard => Outcome.UpdatedCard;
    public Turn? Turn => Outcome.Turn;
}
