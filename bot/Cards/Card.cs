namespace AlignmentBot.Bot.Cards;

/// <summary>
/// A channel-neutral card: what the bot wants to show, not how a platform draws it. Rendered to
/// Adaptive Cards 1.5 for Teams (<see cref="AdaptiveCardRenderer"/>) and to Block Kit for Slack.
/// </summary>
public sealed record Card(string Title)
{
    public string? Subtitle { get; init; }
    public IReadOnlyList<CardBlock> Body { get; init; } = [];
    public IReadOnlyList<CardAction> Actions { get; init; } = [];
    /// <summary>Why the bot sent this (the rule and step), shown small at the bottom. Product law for proactive messages.</summary>
    public string? Reason { get; init; }
    /// <summary>A problem with what the person submitted, shown prominently above the inputs.</summary>
    public string? Problem { get; init; }
    /// <summary>The input <see cref="Problem"/> is about, for platforms that mark the input itself (Slack modals); null: the first.</summary>
    public string? ProblemInput { get; init; }
}

public abstract record CardBlock;

/// <summary>How a text stands out; <c>Strong</c> is bold at the normal size (e.g. a question above its answers).</summary>
public enum TextEmphasis { Normal, Subtle, Heading, Good, Warning, Attention, Strong }

public sealed record TextBlock(string Text, TextEmphasis Emphasis = TextEmphasis.Normal) : CardBlock;

/// <summary>
/// Text shown exactly as given, never read as markup: what people wrote (comments, blockers) so nobody can put a
/// link or formatting in front of a manager, and bot text whose characters a markdown reader would eat.
/// </summary>
public sealed record PlainText(IReadOnlyList<Run> Runs, TextEmphasis Emphasis = TextEmphasis.Normal) : CardBlock
{
    public PlainText(string text, TextEmphasis emphasis = TextEmphasis.Normal) : this([new Run(text)], emphasis)
    {
    }
}

/// <summary>A stretch of <see cref="PlainText"/>, optionally bold (e.g. a key result's title).</summary>
public sealed record Run(string Text, bool Bold = false);

public sealed record Fact(string Title, string Value);

public sealed record FactList(IReadOnlyList<Fact> Facts) : CardBlock;

/// <summary>Progress towards a target, 0 to 1 (values outside are clamped when drawn).</summary>
public sealed record Progress(string Label, double Fraction, string? Caption = null) : CardBlock;

/// <summary>A picture by URL (e.g. a chart); <see cref="AltText"/> says what it shows where the image cannot be drawn.</summary>
public sealed record Image(Uri Url, string AltText) : CardBlock;

/// <summary>Buttons inside the body, next to what they act on (e.g. "Check in" under each key result).</summary>
public sealed record Buttons(IReadOnlyList<CardAction> Actions) : CardBlock;

public sealed record Choice(string Title, string Value);

/// <summary>One answer out of several (a Likert scale, 0–10, or named options).</summary>
public sealed record ChoiceQuestion(string Id, string Label, IReadOnlyList<Choice> Choices) : CardBlock
{
    public bool Required { get; init; } = true;
    public string? Value { get; init; }
    /// <summary>Buttons/radios shown at once (true) or a drop-down (false).</summary>
    public bool Expanded { get; init; } = true;
    public string? ErrorMessage { get; init; }
    /// <summary>
    /// Set when this answer may be recorded on its own: a platform that acts on every tap (Slack's buttons) sends this
    /// action with the chosen value added to its data under <see cref="Id"/> (the action's own data says which question).
    /// Platforms that collect every input with one submit ignore it.
    /// </summary>
    public CardAction? AnswerAlone { get; init; }
}

public sealed record NumberQuestion(string Id, string Label) : CardBlock
{
    public bool Required { get; init; } = true;
    public double? Min { get; init; }
    public double? Max { get; init; }
    public double? Value { get; init; }
    public string? Placeholder { get; init; }
    public string? ErrorMessage { get; init; }
}

public sealed record TextQuestion(string Id, string Label) : CardBlock
{
    public bool Required { get; init; }
    public bool Multiline { get; init; }
    public int? MaxLength { get; init; }
    public string? Value { get; init; }
    public string? Placeholder { get; init; }
    public string? ErrorMessage { get; init; }
    /// <summary>
    /// As <see cref="ChoiceQuestion.AnswerAlone"/>: a platform that takes no text in a message (Slack) shows a button with
    /// this action's title ("Add a comment") that asks for it in a dialog of its own, and sends the action from there.
    /// </summary>
    public CardAction? AnswerAlone { get; init; }
}

public enum ActionStyle { Default, Primary, Destructive }

/// <summary>
/// A button. <see cref="Verb"/> names what it does (e.g. "pulse.submit"); <see cref="Data"/> carries
/// the context (e.g. the run id). Inputs are sent along when <see cref="SubmitsInputs"/>.
/// </summary>
public sealed record CardAction(string Title, string Verb)
{
    public IReadOnlyDictionary<string, string> Data { get; init; } = new Dictionary<string, string>();
    public ActionStyle Style { get; init; } = ActionStyle.Default;
    public bool SubmitsInputs { get; init; } = true;
}
