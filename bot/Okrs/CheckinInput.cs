using System.Globalization;
using AlignmentBot.Bot.Turns;

namespace AlignmentBot.Bot.Okrs;

/// <summary>What a person typed into the check-in card, kept as given so a refused card comes back filled in.</summary>
public sealed record CheckinValues(decimal? Value, int? Confidence, string? Blocker);

/// <summary>
/// Reads and checks a check-in: the value must be a number within what the key result can take, the confidence a whole
/// number from 0 to 10. Every problem is said in words a person can act on.
/// </summary>
public static class CheckinInput
{
    public const int MaxBlockerLength = 500;

    /// <summary>The values as given, and the first problem with the input it is about (<see cref="OkrCards.ValueInput"/>...).</summary>
    public static (CheckinValues Values, string? Problem, string? ProblemInput) Read(KeyResultView kr, CardSubmission submission)
    {
        var rawValue = submission.Get(OkrCards.ValueInput)?.Trim();
        var rawConfidence = submission.Get(OkrCards.ConfidenceInput)?.Trim();
        var blocker = submission.Get(OkrCards.BlockerInput)?.Trim() is { Length: > 0 } b ? b : null;
        decimal? value = decimal.TryParse(rawValue, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : null;
        int? confidence = int.TryParse(rawConfidence, NumberStyles.Integer, CultureInfo.InvariantCulture, out var c) ? c : null;
        var values = new CheckinValues(value, confidence is >= 0 and <= 10 ? confidence : null, blocker);

        (string? Problem, string? Input) found = (rawValue, value, rawConfidence, confidence) switch
        {
            ({ Length: 0 } or null, _, _, _) => ("Enter the current value.", OkrCards.ValueInput),
            (_, null, _, _) => ($"“{Shorten(rawValue)}” is not a number. Enter the current value in digits, e.g. 42 or 12.5.", OkrCards.ValueInput),
            (_, { } n, _, _) when OutOfRange(kr, n) is { } range => (range, OkrCards.ValueInput),
            (_, _, { Length: 0 } or null, _) => ("Pick your confidence from 0 to 10.", OkrCards.ConfidenceInput),
            (_, _, _, null or < 0 or > 10) => ($"Confidence is a whole number from 0 (no chance) to 10 (certain); “{Shorten(rawConfidence)}” is not.", OkrCards.ConfidenceInput),
            _ when blocker is { Length: > MaxBlockerLength } => ($"Keep the blocker under {MaxBlockerLength} characters (it has {blocker.Length}).", OkrCards.BlockerInput),
            _ => (null, null),
        };
        return (values, found.Problem, found.Input);
    }

    private static string? OutOfRange(KeyResultView kr, decimal value)
    {
        var shown = value.ToString(CultureInfo.InvariantCulture);
        if (Math.Abs(value) > 1_000_000_000_000m)
        {
            return $"{shown} is too large to be right; check the number.";
        }

        if (kr.Unit == "%" && value is < 0 or > 100)
        {
            return $"A percentage is from 0 to 100; you entered {shown}.";
        }

        return value < 0 && kr.StartValue >= 0 && kr.TargetValue >= 0
            ? $"This key result runs from {OkrText.Value(kr.StartValue, kr.Unit)} to {OkrText.Value(kr.TargetValue, kr.Unit)}, so its value cannot be negative ({shown})."
            : null;
    }

    private static string Shorten(string? text) => text is { Length: > 40 } ? text[..40] + "…" : text ?? "";
}
