using System.Globalization;
using AlignmentBot.Scheduler.FocusAreas;
using AlignmentBot.Scheduler.Okrs;
using AlignmentBot.Scheduler.Okrs.Dependencies;

namespace AlignmentBot.Scheduler.Digests;

/// <summary>One key result as the week's digest sees it.</summary>
/// <remarks>
/// <para><c>Expected</c>: Progress expected by now if it moved linearly from its start date to its due date; null without both.</para>
/// <para><c>Change</c>: Current value minus the value a week ago (the last check-in at or before then); null when it is new this week.</para>
/// <para><c>ProgressGain</c>: Progress gained since a week ago, 0 to 1 (negative when it went back).</para>
/// <para><c>ConfidenceUp</c>: A check-in this week raised the owner's confidence.</para>
/// <para><c>SilentForTwoCadences</c>: Nothing was checked in for two cadences (the roll-up's flag; stale comes sooner).</para>
/// </remarks>
public sealed record KeyResultLine(
    long Id,
    string Title,
    string Objective,
    string? Owner,
    bool OwnerAway,
    decimal Start,
    decimal Target,
    decimal Current,
    string Unit,
    int? Confidence,
    KeyResultHealth Health,
    double Progress,
    double? Expected,
    decimal? Change,
    double? ProgressGain,
    bool ConfidenceUp,
    bool SilentForTwoCadences)
{
    /// <summary>The roll-up's rule: more than 20 points behind its expected linear progress.</summary>
    public const double BehindPoints = 0.20;

    public bool Behind => Expected is { } expected && expected - Progress > BehindPoints;
}

/// <summary>The line of sight: a team objective and the company objective it serves (null when it serves none).</summary>
public sealed record ObjectiveLine(string Title, string? Serves);

/// <summary>
/// One closed pulse run for one team. The aggregates come from SQL that returns them only when the team's
/// respondents meet the survey's score threshold; otherwise <see cref="HiddenBecause"/> says why, never a number.
/// Participation is a count of who answered (never who, never what), so it is shown either way.
/// </summary>
/// <remarks>
/// <para><c>AlignmentScore</c>: Mean of the team's likert5 answers, 1–5.</para>
/// <para><c>PreviousScore</c>: The score of the same survey's previous run for this team, when that one was shown.</para>
/// </remarks>
public sealed record PulseRunLine(
    long RunId,
    long SurveyId,
    string Survey,
    DateTimeOffset ClosedAt,
    int Invited,
    int Respondents,
    decimal? AlignmentScore,
    decimal? FavourablePercent,
    decimal? Enps,
    decimal? PreviousScore,
    string? HiddenBecause)
{
    public decimal? Participation => Invited == 0 ? null : Math.Round(100m * Respondents / Invited, 1);

    /// <summary>The survey's score threshold: below it no score is shown (the dashboard says "n &lt; threshold").</summary>
    public int ScoreThreshold { get; init; }

    public decimal? Trend => AlignmentScore is { } now && PreviousScore is { } before ? now - before : null;
}

/// <summary>A risk flag and the rule that raised it (leaders see why, not just that).</summary>
public sealed record RiskFlag(string Rule, string Detail);

/// <summary>A team's week: key results, what went stale, wins, closed pulses and their trend, the line of sight.</summary>
/// <remarks>
/// <para><c>Runs</c>: The last closed runs (at most <see cref="TrendRuns"/>), oldest first.</para>
/// </remarks>
public sealed record TeamDigest(
    long TeamId,
    string Team,
    string TimeZone,
    DateTimeOffset At,
    IReadOnlyList<KeyResultLine> KeyResults,
    IReadOnlyList<ObjectiveLine> Objectives,
    IReadOnlyList<PulseRunLine> Runs)
{
    public const int TrendRuns = 8;

    /// <summary>Dependencies of this team's key results on others' (and its own): the digest's "blocked by".</summary>
    public IReadOnlyList<DependencyLink> BlockedBy { get; init; } = [];

    /// <summary>Dependencies of other key results on this team's: the digest's "blocking", and the roll-up's dependency flag.</summary>
    public IReadOnlyList<DependencyLink> Blocking { get; init; } = [];

    /// <summary>The team's active focus ("You said …, we are doing …") and its follow-up result (scheduler/FocusAreas).</summary>
    public IReadOnlyList<FocusLine> Focus { get; init; } = [];

    /// <summary>Below this share of invited people answering, the roll-up flags the team.</summary>
    public const decimal LowParticipationPercent = 60;

    /// <summary>A drop of at least this much against the previous run flags the team.</summary>
    public const decimal FallingScore = 0.5m;

    public IEnumerable<KeyResultLine> Stale => KeyResults.Where(k => k.Health == KeyResultHealth.Stale);

    /// <summary>Runs that closed in the week before <see cref="At"/>: the ones whose results this digest reports.</summary>
    public IEnumerable<PulseRunLine> ClosedThisWeek => Runs.Where(r => r.ClosedAt > At.AddDays(-7));

    public PulseRunLine? Latest => Runs.Count == 0 ? null : Runs[^1];

    /// <summary>The biggest gains of the week (at most three), largest first.</summary>
    public IEnumerable<KeyResultLine> BiggestGains =>
        KeyResults.Where(k => k.ProgressGain > 0).OrderByDescending(k => k.ProgressGain).ThenBy(k => k.Id).Take(3);

    public IEnumerable<KeyResultLine> ConfidenceUp => KeyResults.Where(k => k.ConfidenceUp);

    /// <summary>
    /// The team's headline health: the worst state that at least a quarter of its key results are in (stale first,
    /// as stale overrides health everywhere), so one lagging key result among forty does not paint the team red.
    /// </summary>
    public KeyResultHealth Health
    {
        get
        {
            if (KeyResults.Count == 0)
            {
                return KeyResultHealth.Unknown;
            }

            bool Quarter(Func<KeyResultLine, bool> which) => KeyResults.Count(which) * 4 >= KeyResults.Count;
            return Quarter(k => k.Health == KeyResultHealth.Stale) ? KeyResultHealth.Stale
                : Quarter(k => k.Health == KeyResultHealth.OffTrack) ? KeyResultHealth.OffTrack
                : Quarter(k => k.Health is KeyResultHealth.OffTrack or KeyResultHealth.AtRisk) ? KeyResultHealth.AtRisk
                : KeyResultHealth.OnTrack;
        }
    }

    /// <summary>The roll-up's risk flags for this team, each with its rule.</summary>
    public IReadOnlyList<RiskFlag> Flags
    {
        get
        {
            var flags = new List<RiskFlag>();
            var behind = KeyResults.Where(k => k.Behind).ToList();
            if (behind.Count > 0)
            {
                flags.Add(new RiskFlag("More than 20 points behind expected linear progress", Name(behind)));
            }

            if (Latest?.Participation is { } participation && participation < LowParticipationPercent)
            {
                flags.Add(new RiskFlag("Participation under 60 %", string.Create(CultureInfo.InvariantCulture, $"{participation:0.#} % answered “{Latest.Survey}”")));
            }

            if (Latest?.Trend is { } trend && trend <= -FallingScore)
            {
                flags.Add(new RiskFlag("Alignment score down 0.5 or more against the previous run", string.Create(CultureInfo.InvariantCulture, $"{Latest.PreviousScore:0.00} → {Latest.AlignmentScore:0.00}")));
            }

            var silent = KeyResults.Where(k => k.SilentForTwoCadences).ToList();
            if (silent.Count > 0)
            {
                flags.Add(new RiskFlag("No check-ins for two cadences", Name(silent)));
            }

            if (DependencyFlag(Team, Blocking) is { } dependency)
            {
                flags.Add(dependency);
            }

            return flags;
        }
    }

    /// <summary>"2 teams wait on Payments, whose key result “Checkout” is off track": the slipping key result most waited on.</summary>
    private static RiskFlag? DependencyFlag(string team, IReadOnlyList<DependencyLink> blocking)
    {
        var worst = blocking.Where(l => l.Slipping).GroupBy(l => l.WaitedOn.Id)
            .OrderByDescending(g => g.Select(l => l.Waiting.TeamId).Distinct().Count()).ThenBy(g => g.Key).FirstOrDefault();
        if (worst is null)
        {
            return null;
        }

        var teams = worst.Select(l => l.Waiting.TeamId).Distinct().Count();
        var link = worst.First();
        return new RiskFlag("Others wait on a key result that is at risk, off track, stale or late",
            $"{teams} team{(teams == 1 ? "" : "s")} wait{(teams == 1 ? "s" : "")} on {team}, whose key result “{link.WaitedOn.Title}” is {link.Why}");
    }

    private static string Name(List<KeyResultLine> keyResults) =>
        keyResults.Count <= 2
            ? string.Join("; ", keyResults.Select(k => k.Title))
            : $"{keyResults[0].Title} and {keyResults.Count - 1} more";
}
