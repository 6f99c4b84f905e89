namespace AlignmentBot.Bot.Web.Data;

/// <summary>
/// Teams × pulse drivers for one closed run: each row a group (a team, all teams in view, or the filtered teams
/// together), each cell the mean of the driver's likert questions — or, when the group may not be shown, only why.
/// </summary>
/// <remarks>
/// <para><c>Drivers</c>: The columns, in question order: a question's driver, or its prompt when it has none.</para>
/// <para><c>Threshold</c>: The survey's score threshold, for "n &lt; 5".</para>
/// </remarks>
public sealed record Heatmap(long RunId, string Survey, DateTimeOffset ClosedAt, int Threshold, IReadOnlyList<string> Drivers, IReadOnlyList<Heatmap.Row> Rows)
{
    /// <summary>What kind of group a row is.</summary>
    public enum Kind
    {
        Team,

        /// <summary>Every team in the viewer's view that the run asked.</summary>
        AllInView,

        /// <summary>The teams the filter selects, together.</summary>
        Filtered,
    }

    /// <summary>One group: its participation and a cell per driver, or the reason nothing of it is shown.</summary>
    public sealed record Row(string Group, long? TeamId, Kind Kind, decimal? Participation, IReadOnlyList<Cell> Cells, string? HiddenBecause)
    {
        /// <summary>Hidden because too few answered (shown as "n &lt; 5"), not only because of the subtraction rule.</summary>
        public bool BelowThreshold { get; init; }
    }

    /// <summary>A driver's mean (1–5) and favourable share for a group; null when the group answered none of its questions.</summary>
    public sealed record Cell(string Driver, decimal? Mean, decimal? FavourablePercent, int Answers);
}
