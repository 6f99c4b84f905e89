using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using AlignmentBot.Bot.Cards;

namespace AlignmentBot.Bot.Slack.Blocks;

/// <summary>
/// Renders a <see cref="Card"/> as a Slack Block Kit message: a header, text as <c>mrkdwn</c> sections (people's own
/// words as <c>rich_text</c>, never read as markup), facts as section fields, buttons as <c>actions</c>. Questions answered
/// one tap at a time are buttons (<see cref="BlockKitAnswers"/>); every other input is asked in a modal opened by the
/// button that would have submitted it (<see cref="BlockKitForms"/>), so a message holds no inputs.
/// Always a <c>text</c> fallback (notifications). Slack's limits are kept here: at most <see cref="MaxBlocks"/>
/// blocks (the rest folded into one line that counts them), <see cref="MaxText"/> characters per text,
/// <see cref="MaxValue"/> per button value, <see cref="MaxElements"/> elements per actions block.
/// </summary>
public static class BlockKitRenderer
{
    public const int MaxBlocks = 50;
    public const int MaxText = 3000;
    public const int MaxValue = 2000;
    public const int MaxElements = 25;
    public const int MaxHeader = 150;
    public const int MaxButtonText = 75;
    public const int MaxFields = 10;
    public const int MaxRadioOptions = 10;
    public const int MaxSelectOptions = 100;
    public const int MaxOptionText = 75;
    public const int MaxLabel = 2000;
    public const string VerbKey = "verb";

    private const int ProgressCells = 10;

    /// <summary>The message: <c>{"text": fallback, "blocks": [...]}</c>.</summary>
    public static JsonObject Message(Card card) => new() { ["text"] = Fallback(card), ["blocks"] = Blocks(card) };

    /// <summary>A plain-text message (no blocks): Slack shows <c>text</c> as mrkdwn, so markup characters are escaped.</summary>
    public static JsonObject Message(string text) => new() { ["text"] = Clip(Escape(text), MaxText) };

    public static string Fallback(Card card) => Clip(card.Subtitle is { Length: > 0 } subtitle ? $"{card.Title} — {subtitle}" : card.Title, MaxText);

    public static JsonArray Blocks(Card card)
    {
        var form = card.Body.Where(BlockKitForms.IsFormInput).ToList();
        var shape = new Shape(card.Title, form.Count == 0 ? null : form,
            DropSubmits: form.Count == 0 && card.Body.Any(b => b is ChoiceQuestion { AnswerAlone: not null } or TextQuestion { AnswerAlone: not null }));
        var blocks = new List<JsonObject> { Header(card.Title) };
        if (card.Subtitle is { Length: > 0 } subtitle)
        {
            blocks.Add(Context(subtitle));
        }

        if (card.Problem is { Length: > 0 } problem)
        {
            blocks.Add(Section($":warning: *{Escape(problem)}*"));
        }

        foreach (var block in card.Body)
        {
            blocks.AddRange(Render(block, shape));
        }

        var actions = ActionBlocks(card.Actions, "actions", shape).ToList();
        JsonObject? reason = card.Reason is { Length: > 0 } why ? Context(why) : null;

        // Keep the buttons and the reason whatever else is folded: they are what the person acts on and why they got it.
        var tail = actions.Count + (reason is null ? 0 : 1);
        if (blocks.Count + tail > MaxBlocks)
        {
            var room = MaxBlocks - tail - 1;
            var folded = blocks.Count - room;
            blocks = [.. blocks.Take(room), Context($"…and {folded} more not shown here.")];
        }

        blocks.AddRange(actions);
        if (reason is not null)
        {
            blocks.Add(reason);
        }

        return new JsonArray([.. blocks]);
    }

    /// <summary>What a card's buttons need to know: its title, the inputs a submitting button asks for in a modal, and whether such buttons are dropped (every answer is a tap of its own).</summary>
    private sealed record Shape(string Title, IReadOnlyList<CardBlock>? Form, bool DropSubmits);

    private static IEnumerable<JsonObject> Render(CardBlock block, Shape shape) => block switch
    {
        TextBlock text => [text.Emphasis == TextEmphasis.Subtle ? Context(text.Text, markup: true) : Section(Styled(text.Text, text.Emphasis))],
        PlainText plain => [RichText(plain)],
        FactList facts => facts.Facts.Chunk(MaxFields).Select(chunk => new JsonObject
        {
            ["type"] = "section",
            ["fields"] = new JsonArray([.. chunk.Select(f => (JsonNode)Mrkdwn(Clip($"*{Escape(f.Title)}*\n{Escape(f.Value)}", MaxValue)))]),
        }),
        Progress progress => [Section(ProgressText(progress))],
        Image image => [new JsonObject
        {
            ["type"] = "image",
            ["image_url"] = image.Url.AbsoluteUri,
            ["alt_text"] = Clip(image.AltText.Length > 0 ? image.AltText : "chart", MaxValue),
        }],
        Buttons buttons => ActionBlocks(buttons.Actions, "buttons", shape),
        ChoiceQuestion { AnswerAlone: { } answer } choice => BlockKitAnswers.Choice(choice, answer),
        TextQuestion { AnswerAlone: { } answer } text => [BlockKitAnswers.Text(text, answer)],
        _ => [],
    };

    private static JsonObject Header(string title) => new() { ["type"] = "header", ["text"] = Plain(Clip(title, MaxHeader)) };

    private static JsonObject Section(string mrkdwn) => new() { ["type"] = "section", ["text"] = Mrkdwn(Clip(mrkdwn, MaxText)) };

    private static JsonObject Context(string text, bool markup = false) => new()
    {
        ["type"] = "context",
        ["elements"] = new JsonArray(markup ? Mrkdwn(Clip(text, MaxText)) : Plain(Clip(text, MaxText))),
    };

    private static JsonObject RichText(PlainText plain)
    {
        var budget = MaxText;
        var elements = new JsonArray();
        foreach (var run in plain.Runs)
        {
            if (budget <= 0 || run.Text.Length == 0)
            {
                continue;
            }

            var text = Clip(run.Text, budget);
            budget -= text.Length;
            var element = new JsonObject { ["type"] = "text", ["text"] = text };
            if (run.Bold || plain.Emphasis is TextEmphasis.Heading or TextEmphasis.Strong)
            {
                element["style"] = new JsonObject { ["bold"] = true };
            }
            else if (plain.Emphasis == TextEmphasis.Subtle)
            {
                element["style"] = new JsonObject { ["italic"] = true };
            }

            elements.Add(element);
        }

        if (elements.Count == 0)
        {
            elements.Add(new JsonObject { ["type"] = "text", ["text"] = " " });
        }

        return new JsonObject
        {
            ["type"] = "rich_text",
            ["elements"] = new JsonArray(new JsonObject { ["type"] = "rich_text_section", ["elements"] = elements }),
        };
    }

    private static IEnumerable<JsonObject> ActionBlocks(IReadOnlyList<CardAction> actions, string prefix, Shape shape) =>
        actions.Where(a => !(a.SubmitsInputs && shape.DropSubmits)).Select((action, i) => Button(action, $"{prefix}.{i}", shape)).Chunk(MaxElements)
            .Select(chunk => new JsonObject { ["type"] = "actions", ["elements"] = new JsonArray([.. chunk]) });

    private static JsonObject Button(CardAction action, string actionId, Shape shape)
    {
        var button = new JsonObject
        {
            ["type"] = "button",
            ["action_id"] = actionId,
            ["text"] = Plain(Clip(action.Title, MaxButtonText)),
            ["value"] = action.SubmitsInputs && shape.Form is { } form ? FormValue(action, FormSpec(form), action.Title, action.Title, shape.Title) : ButtonValue(action),
        };
        if (action.Style != ActionStyle.Default)
        {
            button["style"] = action.Style == ActionStyle.Primary ? "primary" : "danger";
        }

        return button;
    }

    /// <summary>The verb and data a button carries (JSON); more than Slack's 2000 characters is a bug in the card, not a reason to send a broken button.</summary>
    public static string ButtonValue(CardAction action) => Checked(action.Verb, ActionJson(action).ToJsonString(Compact));

    /// <summary>A button that opens a modal: its action, plus the form, the modal's title and submit label and the card's title.</summary>
    internal static string FormValue(CardAction action, JsonArray form, string title, string submit, string? context)
    {
        var value = ActionJson(action);
        value[BlockKitForms.FormKey] = form;
        value[BlockKitForms.TitleKey] = Clip(title, BlockKitForms.MaxModalTitle);
        value[BlockKitForms.SubmitKey] = Clip(submit, BlockKitForms.MaxModalTitle);
        if (context is { Length: > 0 })
        {
            value[BlockKitForms.ContextKey] = Clip(context, MaxHeader);
        }

        return Checked(action.Verb, value.ToJsonString(Compact));
    }

    /// <summary>A form's inputs; what a person wrote is left out when the whole would not fit a button (the modal then opens without it).</summary>
    private static JsonArray FormSpec(IReadOnlyList<CardBlock> form)
    {
        var spec = BlockKitForms.Spec(form);
        return spec.ToJsonString(Compact).Length <= MaxValue - 400 ? spec : BlockKitForms.Spec(form, withText: false);
    }

    internal static JsonObject ActionJson(CardAction action)
    {
        var value = new JsonObject { [VerbKey] = action.Verb };
        foreach (var (key, data) in action.Data)
        {
            value[key] = data;
        }

        return value;
    }

    private static string Checked(string verb, string json) =>
        json.Length <= MaxValue ? json : throw new InvalidOperationException($"button \"{verb}\" carries {json.Length} characters; Slack allows {MaxValue}");

    /// <summary>Values are counted in characters: text as it is, not escaped to <c>\uXXXX</c> (six characters for one).</summary>
    private static readonly JsonSerializerOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static string ProgressText(Progress progress)
    {
        var fraction = Math.Clamp(progress.Fraction, 0, 1);
        var filled = (int)Math.Round(fraction * ProgressCells);
        var bar = new string('▓', filled) + new string('░', ProgressCells - filled);
        var line = $"{Escape(progress.Label)}\n`{bar}` {(fraction * 100).ToString("0", CultureInfo.InvariantCulture)}%";
        return progress.Caption is { Length: > 0 } caption ? $"{line}\n{Escape(caption)}" : line;
    }

    private static string Styled(string text, TextEmphasis emphasis)
    {
        var body = Markdown(text);
        return emphasis switch
        {
            TextEmphasis.Heading or TextEmphasis.Strong => $"*{body}*",
            TextEmphasis.Attention => $":warning: {body}",
            TextEmphasis.Warning => $":large_orange_diamond: {body}",
            TextEmphasis.Good => $":white_check_mark: {body}",
            _ => body,
        };
    }

    /// <summary>The cards' markdown (<c>**bold**</c>) in Slack's mrkdwn (<c>*bold*</c>), with &amp;, &lt; and &gt; escaped.</summary>
    private static string Markdown(string text) => Escape(text).Replace("**", "*", StringComparison.Ordinal);

    /// <summary>Slack's three control characters in text: nothing typed can become a link or a mention.</summary>
    public static string Escape(string text) => new StringBuilder(text).Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;").ToString();

    internal static JsonObject Plain(string text) => new() { ["type"] = "plain_text", ["text"] = text.Length == 0 ? " " : text, ["emoji"] = true };

    private static JsonObject Mrkdwn(string text) => new() { ["type"] = "mrkdwn", ["text"] = text.Length == 0 ? " " : text };

    /// <summary>At most <paramref name="max"/> characters, an ellipsis marking a cut (never inside a surrogate pair).</summary>
    public static string Clip(string text, int max)
    {
        if (text.Length <= max)
        {
            return text;
        }

        var cut = max - 1;
        if (char.IsHighSurrogate(text[cut - 1]))
        {
            cut--;
        }

        return string.Concat(text.AsSpan(0, cut), "…");
    }
}
