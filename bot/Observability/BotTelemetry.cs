using System.Diagnostics;

namespace AlignmentBot.Bot.Observability;

/// <summary>
/// The bot's own spans, source "AlignmentBot": an inbound activity's <see cref="Verify"/> (the token check),
/// <see cref="Turn"/> (recording the parties and deciding the answer; the SQL it runs nests inside it) and
/// <see cref="Reply"/> (the replies posted to the connector, or the invoke response written), and an outbox row's
/// <see cref="Deliver"/>. Tags name kinds and verbs only: never a token, a person, or what anyone answered.
/// Without a listener (telemetry off) starting one costs a null check.
/// </summary>
public static class BotTelemetry
{
    public const string SourceName = "AlignmentBot";

    public const string Verify = "verify";
    public const string Turn = "turn";
    public const string Reply = "reply";
    public const string Deliver = "deliver";

    /// <summary>Quartz 4 reports its jobs (span "Quartz.Job.Execute" and its job meters) under this name.</summary>
    public const string QuartzSourceName = "Quartz";

    public static readonly ActivitySource Source = new(SourceName);
}
