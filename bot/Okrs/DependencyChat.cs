using System.Globalization;
using System.Text.RegularExpressions;
using AlignmentBot.Scheduler.Okrs.Dependencies;

namespace AlignmentBot.Bot.Okrs;

/// <summary>How dependency edits are typed and what the bot says back.</summary>
public static partial class DependencyChat
{
    /// <summary><c>on &lt;key&gt; [for &lt;your key&gt;] [by 2027-12-01] [note &lt;text&gt;]</c>, after the command word.</summary>
    [GeneratedRegex(@"^on\s+(?<key>\S+)(?:\s+for\s+(?<for>\S+))?(?:\s+by\s+(?<by>\S+))?(?:\s+note\s+(?<note>.+))?$", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex Grammar();

    public const string Usage = "Type `depends on <key>` (e.g. `depends on PL-KR3`), adding `for <your key>` when you own several key results, "
        + "`by 2027-12-01` for the day you need it and `note <text>` to say why. `no longer depends on <key>` removes it.";

    public sealed record Parsed(string Key, string? For, DateOnly? NeededBy, string? Note);

    public static (Parsed? Edit, string? Problem) Parse(string arguments)
    {
        var match = Grammar().Match(arguments.Trim());
        if (!match.Success)
        {
            return (null, Usage);
        }

        DateOnly? by = null;
        if (match.Groups["by"].Success)
        {
            if (!DateOnly.TryParseExact(match.Groups["by"].Value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                return (null, $"I couldn't read “{match.Groups["by"].Value}” as a date. Write it like 2027-12-01.");
            }

            by = date;
        }

        var note = match.Groups["note"].Success ? match.Groups["note"].Value.Trim() : null;
        if (note is { Length: > Scheduler.Okrs.Import.ImportDependencies.MaxNote })
        {
            return (null, $"Keep the note under {Scheduler.Okrs.Import.ImportDependencies.MaxNote} characters (it has {note.Length}).");
        }

        return (new Parsed(match.Groups["key"].Value, match.Groups["for"].Success ? match.Groups["for"].Value : null, by, note), null);
    }

    public static string Say(DependencyEdit edit, DateOnly? neededBy = null) => edit.Outcome switch
    {
        DependencyEditOutcome.Added or DependencyEditOutcome.Updated =>
            $"{(edit.Outcome == DependencyEditOutcome.Added ? "Noted" : "Updated")}: “{edit.Waiting!.Title}” waits for {edit.WaitedOn!.Name}"
            + (edit.WaitedOn.Owner is { } owner ? $" ({owner})" : "")
            + (neededBy is { } by ? $", needed by {by.ToString("ddd d MMM yyyy", CultureInfo.InvariantCulture)}" : "")
            + ". If it slips, its owner hears who waits, and you hear when it is resolved.",
        DependencyEditOutcome.Removed => $"Done: “{edit.Waiting!.Title}” no longer waits for {edit.WaitedOn!.Name}.",
        DependencyEditOutcome.NotDependent => $"“{edit.Waiting!.Title}” does not wait for {edit.WaitedOn!.Name}, so there is nothing to remove.",
        DependencyEditOutcome.WhichOne => $"You own several key results; say which one waits with `for <your key>`. Yours: {string.Join(", ", edit.Owned!)}.",
        DependencyEditOutcome.NotOwner => edit.Owned is { Count: > 0 } owned
            ? $"Only a key result's owner can change what it waits for, and that key is not one of yours. Yours: {string.Join(", ", owned)}."
            : "Only a key result's owner can change what it waits for, and you own none.",
        DependencyEditOutcome.UnknownKey => "I know no key result by that key. Keys are the ones in your OKR file (e.g. PL-KR3); `okrs team` shows your teams' key results.",
        DependencyEditOutcome.Itself => "A key result cannot wait for itself.",
        DependencyEditOutcome.Loop => $"That would make key results wait for each other in a circle: {string.Join(" → ", edit.Loop!)}. Nothing changed.",
        _ => Usage,
    };
}
