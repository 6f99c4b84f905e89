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

            values[q.Id] = raw;
            switch (q.Kind)
            {
                case "likert5":
                case "enps":
                    var (min, max) = q.Kind == "likert5" ? (1, 5) : (0, 10);
                    if (int.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max)
                    {
                        answers.Add(new PulseAnswer(q.Id, n, null));
                    }
                    else
                    {
                        problems.Add($"“{q.Prompt}” takes a whole number from {min} to {max}; “{raw}” is not one.");
                        values.Remove(q.Id);
                    }

                    break;
                case "choice":
                    if (q.Choices?.Contains(raw) == true)
                    {
                        answers.Add(new PulseAnswer(q.Id, null, raw));
                    }
                    else
                    {
                        problems.Add($"“{q.Prompt}”: pick one of the choices.");
                        values.Remove(q.Id);
                    }

                    break;
                default:
                    if (raw.Length > MaxTextLength)
                    {
                        problems.Add($"Your comment is {raw.Length} characters; please keep it to {MaxTextLength}.");
                    }
                    else
                    {
                        answers.Add(new PulseAnswer(q.Id, null, raw));
                    }

                    break;
            }
        }

        return (answers, problems.Count == 0 ? null : string.Join(" ", problems), values);
    }
}
