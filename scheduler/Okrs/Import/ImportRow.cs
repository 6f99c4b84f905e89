namespace AlignmentBot.Scheduler.Okrs.Import;

/// <summary>
/// One key result (or an objective alone, when the key-result fields are empty) as the file gives it, before any
/// check. <see cref="Where"/> names the row for error messages: "line 7" in a CSV, "objectives[2].keyResults[0]" in JSON.
/// </summary>
public sealed record ImportRow(string Where, int Line)
{
    public string? ObjectiveKey { get; init; }
    public string? Objective { get; init; }
    public string? Team { get; init; }
    public string? ParentObjectiveKey { get; init; }
    public string? Cycle { get; init; }
    public string? KeyResultKey { get; init; }
    public string? KeyResult { get; init; }
    public string? Owner { get; init; }
    public string? Start { get; init; }
    public string? Target { get; init; }
    public string? Current { get; init; }
    public string? Unit { get; init; }
    public string? Direction { get; init; }
    public string? Confidence { get; init; }
    public string? CadenceDays { get; init; }
    public string? StartsOn { get; init; }
    public string? DueOn { get; init; }
    /// <summary>The key results this one waits for; null when the file does not say (its dependencies stay as they are).</summary>
    public IReadOnlyList<DependencyEntry>? DependsOn { get; init; }
    /// <summary>Set when the row could not be read as the file's columns at all.</summary>
    public string? FormatProblem { get; init; }

    public bool HasKeyResult => !string.IsNullOrWhiteSpace(KeyResultKey) || !string.IsNullOrWhiteSpace(KeyResult);
}

/// <summary>Why one row cannot be imported.</summary>
public sealed record ImportProblem(string Where, int Line, string Reason);

/// <summary>A file that cannot even be read as rows (a missing column, broken JSON).</summary>
public sealed class ImportFormatException(string message) : Exception(message);
