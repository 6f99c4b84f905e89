namespace AlignmentBot.Scheduler.People;

/// <summary>Who-is-who settings (section <c>People</c>).</summary>
public sealed class PeopleOptions
{
    public const string Section = "People";

    /// <summary>The most rows one people file may have: an HR export of a large company, not an accident.</summary>
    public int MaxImportRows { get; set; } = 50_000;

    /// <summary>Someone in none of the bot's teams for this many days becomes inactive and gets nothing.</summary>
    public int TeamlessDaysBeforeInactive { get; set; } = 14;

    /// <summary>How often every team's roster is read again, to catch joiners and leavers no event announced; 00:00:00 turns it off.</summary>
    public TimeSpan RosterRefreshInterval { get; set; } = TimeSpan.FromHours(6);
}
