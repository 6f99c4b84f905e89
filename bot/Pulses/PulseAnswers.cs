using System.Globalization;
using AlignmentBot.Bot.Turns;

namespace AlignmentBot.Bot.Pulses;

/// <summary>Turns a card submission into answers, or names the first problem in words a person understands.</summary>
public static class PulseAnswers
{
    public const int MaxTextLength = 1000;

    public static (IReadOnlyList<PulseAnswer> Answers, string? Problem, Dictionary<long, string> Values) Read(PersonRun run, CardSubmission submission)
    {
        var answers = new List<PulseAnswer>();
        var values = new Dictionary<long, string>();
        var problems = new List<string>();
        foreach (var q in run.Questions)
        {
            var raw = submission.Get(PulseCards.InputId(q.Id))?.Trim();
            if (string.IsNullOrEmpty(raw))
            {
                if (q.Required)
                {
                    problems.Add($"Please answer “{q.Prompt}”.");
                }

                continue;
            }

            var (answer, problem) = Check(q, raw);
            if (answer is not null)
            {
                answers.Add(answer);
                values[q.Id] = raw;
            }
            else
            {
                problems.Add(problem!);
                if (q.Kind is not ("likert5" or "enps" or "choice"))
                {
                    values[q.Id] = raw;
                }
            }
        }

        return (answers, problems.Count == 0 ? null : string.Join(" ", problems), values);
    }

    /// <summary>
    /// One question answered on its own (a tap, a comment dialog), checked exactly as in <see cref="Read"/>. An empty answer
    /// to an optional question is no problem: it removes the answer (an emptied comment).
    /// </summary>
    public static (PulseAnswer? Answer, string? Problem) ReadOne(PulseQuestion q, CardSubmission submission)
    {
        var raw = submission.Get(PulseCards.InputId(q.Id))?.Trim();
        if (string.IsNullOrEmpty(raw))
        {
            return (null, q.Required ? $"Please answer “{q.Prompt}”." : null);
        }

        return Check(q, raw);
    }

    private static (PulseAnswer? Answer, string? Problem) Check(PulseQuestion q, string raw)
    {
        switch (q.Kind)
        {
            case "likert5":
            case "enps":
                var (min, max) = q.Kind == "likert5" ? (1, 5) : (0, 10);
                return int.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
                    ? (new PulseAnswer(q.Id, n, null), null)
                    : (null, $"“{q.Prompt}” takes a whole number from {min} to {max}; “{Shorten(raw)}” is not one.");
            case "choice":
                return q.Choices?.Contains(raw) == true ? (new PulseAnswer(q.Id, null, raw), null) : (null, $"“{q.Prompt}”: pick one of the choices.");
            default:
                return raw.Length > MaxTextLength
                    ? (null, $"Your comment is {raw.Length} characters; please keep it to {MaxTextLength}.")
                    : (new PulseAnswer(q.Id, null, raw), null);
        }
    }

    private static string Shorten(string raw) => raw.Length > 40 ? raw[..40] + "…" : raw;
}
