using System.Threading.Channels;
using AlignmentBot.Bot.Teams.Protocol;

namespace AlignmentBot.Bot.Teams.Turns;

/// <summary>
/// Activities answered with 200 before any database work, and processed just after by <see cref="AnsweredFirstWorker"/>:
/// those that need no reply in the HTTP response and whose work is safe to lose — typing, reactions, message
/// edits and deletions, events. Their work is only refreshing who and where (tenant, person, conversation,
/// serviceUrl); the next activity from the same person refreshes the same rows, and nothing a person said or chose
/// is in it. Everything else (messages, card submissions, invokes, install and membership updates) is processed
/// before the answer, so nothing acknowledged there can be lost.
/// </summary>
public sealed class AnsweredFirst
{
    /// <summary>Beyond this many waiting, an activity is processed before its answer again (back-pressure, not loss).</summary>
    public const int Capacity = 10_000;

    private readonly Channel<Activity> _channel = Channel.CreateBounded<Activity>(new BoundedChannelOptions(Capacity)
    {
        FullMode = BoundedChannelFullMode.Wait,
        SingleReader = false,
        SingleWriter = false,
    });

    public static bool SafeToAcknowledgeFirst(Activity activity) => activity.Type is
        ActivityTypes.Typing or ActivityTypes.MessageReaction or ActivityTypes.MessageUpdate or ActivityTypes.MessageDelete or ActivityTypes.Event;

    /// <summary>False when the queue is full: the caller then processes the activity itself before answering.</summary>
    public bool TryEnqueue(Activity activity) => _channel.Writer.TryWrite(activity);

    public ChannelReader<Activity> Reader => _channel.Reader;
}
