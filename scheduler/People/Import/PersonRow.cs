namespace AlignmentBot.Scheduler.People.Import;

/// <summary>
/// One row of the people file as read, before any checking: every value as written (null when the cell is blank, which
/// means "the file says nothing about this"). <see cref="Where"/> and <see cref="Line"/> point the admin at the row.
/// </summary>
public sealed record PersonRow(string Where, int Line)
{
    /// <summary>Email, Teams/Slack user id or Entra object id.</summary>
    public string? Person { get; init; }
    public string? Manager { get; init; }
    public string? TimeZone { get; init; }
    /// <summary>Team memberships: team name or id, each with an optional role, e.g. <c>Platform:manager; Sales</c>.</summary>
    public IReadOnlyList<(string Team, string? Role)>? Teams { get; init; }
    public string? Leader { get; init; }
    public string? Active { get; init; }
    public string? OptedOut { get; init; }
    /// <summary>Set when the row could not even be read as a row (wrong number of fields, not an object).</summary>
    public string? FormatProblem { get; init; }

    /// <summary>Reads the CSV form of a team list: <c>Platform:manager; Sales</c>.</summary>
    public static IReadOnlyList<(string Team, string? Role)>? ParseTeams(string? cell) =>
        cell is null ? null :
        [.. cell.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(entry =>
        {
            var colon = entry.LastIndexOf(':');
            // A Teams team id contains colons ("19:...@thread.tacv2"); only a known role after the last one is a role.
            return colon > 0 && entry[(colon + 1)..].Trim().ToLowerInvariant() is "member" or "manager" or ""
                ? (entry[..colon].Trim(), entry[(colon + 1)..].Trim().ToLowerInvariant())
                : (entry, (string?)null);
        })];
}
