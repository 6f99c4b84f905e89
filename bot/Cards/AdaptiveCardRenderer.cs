using System.Globalization;
using System.Text.Json.Nodes;

namespace AlignmentBot.Bot.Cards;

/// <summary>
/// Renders a <see cref="Card"/> as an Adaptive Card 1.5 — the newest version Teams renders for bots.
/// Buttons are <c>Action.Execute</c> (Universal Actions), which Teams delivers as
/// <c>adaptiveCard/action</c> invokes; their data also carries the verb so that clients that turn
/// them into <c>Action.Submit</c> messages are understood too.
/// </summary>
public static class AdaptiveCardRenderer
{
    public const string ContentType = "application/vnd.microsoft.card.adaptive";
    public const string Version = "1.5";
    public const string VerbKey = "verb";

    private const int ProgressCells = 10;

    public static JsonObject Render(Card card)
    {
        var body = new JsonArray
        {
            Text(card.Title, TextEmphasis.Heading),
        };
        if (card.Subtitle is { Length: > 0 } subtitle)
        {
            body.Add(Text(subtitle, TextEmphasis.Subtle));
        }

        if (card.Problem is { Length: > 0 } problem)
        {
            body.Add(Text(problem, TextEmphasis.Attention));
        }

        foreach (var block in card.Body)
        {
            body.Add(Render(block));
        }

        if (card.Reason is { Length: > 0 } reason)
        {
            var why = Text(reason, TextEmphasis.Subtle);
            why["size"] = "Small";
            why["separator"] = true;
            body.Add(why);
        }

        var json = new JsonObject
        {
            ["type"] = "AdaptiveCard",
            ["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json",
            ["version"] = Version,
            ["body"] = body,
        };
        if (card.Actions.Count > 0)
        {
            json["actions"] = new JsonArray(card.Actions.Select(Render).ToArray<JsonNode?>());
        }

        return json;
    }

    private static JsonObject Render(CardBlock block) => block switch
    {
        TextBlock text => Text(text.Text, text.Emphasis),
        PlainText plain => RichText(plain),
        FactList facts => new JsonObject
        {
            ["type"] = "FactSet",
            ["facts"] = new JsonArray(facts.Facts.Select(f => (JsonNode?)new JsonObject { ["title"] = NoTags(f.Title), ["value"] = NoTags(f.Value) }).ToArray()),
        },
        Progress progress => ProgressBlock(progress),
        Image image => new JsonObject { ["type"] = "Image", ["url"] = image.Url.AbsoluteUri, ["altText"] = image.AltText, ["size"] = "Stretch" },
        Buttons buttons => new JsonObject { ["type"] = "ActionSet", ["actions"] = new JsonArray([.. buttons.Actions.Select(Render)]) },
        ChoiceQuestion choice => ChoiceInput(choice),
        NumberQuestion number => NumberInput(number),
        TextQuestion text => TextInput(text),
        _ => throw new NotSupportedException($"No Adaptive Card rendering for {block.GetType().Name}"),
    };

    private static JsonObject Text(string text, TextEmphasis emphasis)
    {
        var node = new JsonObject { ["type"] = "TextBlock", ["text"] = NoTags(text), ["wrap"] = true };
        Emphasise(node, emphasis);
        return Tinted(node, emphasis);
    }

    /// <summary>A RichTextBlock of TextRuns: Adaptive Cards never read a TextRun's text as markdown, so it shows as written.</summary>
    private static JsonObject RichText(PlainText plain) => Tinted(new JsonObject
    {
        ["type"] = "RichTextBlock",
        ["inlines"] = new JsonArray([.. plain.Runs.Where(r => r.Text.Length > 0).Select(run =>
        {
            var node = new JsonObject { ["type"] = "TextRun", ["text"] = Breakable(NoTags(run.Text)) };
            Emphasise(node, plain.Emphasis);
            if (run.Bold)
            {
                node["weight"] = "Bolder";
            }

            return (JsonNode)node;
        })]),
    }, plain.Emphasis);

    private const int LongestUnbrokenRun = 24;

    /// <summary>
    /// People's words may hold a long unbroken run (a URL, "aaaaaaaa…"). A TextBlock wraps it anywhere, but a
    /// RichTextBlock's runs wrap only at breaks and would run out of the chat column; a zero-width space every
    /// <see cref="LongestUnbrokenRun"/> characters of such a run gives it places to wrap without changing what shows.
    /// </summary>
    private static string Breakable(string text)
    {
        var builder = new System.Text.StringBuilder(text.Length);
        var unbroken = 0;
        foreach (var c in text)
        {
            unbroken = char.IsWhiteSpace(c) || c == '\u200B' ? 0 : unbroken + 1;
            if (unbroken > LongestUnbrokenRun && !char.IsLowSurrogate(c))
            {
                builder.Append('\u200B');
                unbroken = 1;
            }

            builder.Append(c);
        }

        return builder.ToString();
    }

    /// <summary>
    /// Teams drops anything that looks like an HTML tag from card text ("digest &lt;team&gt;" reached readers as
    /// "digest "). A word joiner (U+2060, invisible) after the "&lt;" keeps it from being read as a tag.
    /// </summary>
    public static string NoTags(string text)
    {
        if (!text.Contains('<', StringComparison.Ordinal))
        {
            return text;
        }

        var builder = new System.Text.StringBuilder(text.Length + 4);
        for (var i = 0; i < text.Length; i++)
        {
            builder.Append(text[i]);
            if (text[i] == '<' && i + 1 < text.Length && (char.IsAsciiLetter(text[i + 1]) || text[i + 1] is '/' or '!' or '?'))
            {
                builder.Append('\u2060');
            }
        }

        return builder.ToString();
    }

    private static void Emphasise(JsonObject node, TextEmphasis emphasis)
    {
        switch (emphasis)
        {
            case TextEmphasis.Heading:
                node["size"] = "Medium";
                node["weight"] = "Bolder";
                break;
            case TextEmphasis.Subtle:
                node["isSubtle"] = true;
                break;
            case TextEmphasis.Strong:
                node["weight"] = "Bolder";
                break;
        }
    }

    /// <summary>
    /// Good, warning and attention text in a container of that style, in the theme's default text colour. Coloured
    /// text does not read in both Teams themes (its warning yellow on white is 1.5:1, attention red on dark grey
    /// 3.2:1); the styled containers' light backgrounds with the default text do (over 10:1) in light and dark alike.
    /// </summary>
    private static JsonObject Tinted(JsonObject text, TextEmphasis emphasis) => emphasis switch
    {
        TextEmphasis.Good => InContainer("good", text),
        TextEmphasis.Warning => InContainer("warning", text),
        TextEmphasis.Attention => InContainer("attention", text),
        _ => text,
    };

    private static JsonObject InContainer(string style, JsonObject text) => new()
    {
        ["type"] = "Container",
        ["style"] = style,
        ["items"] = new JsonArray(text),
    };

    /// <summary>A text bar ("▰▰▰▱▱▱▱▱▱▱ 30%"): Adaptive Cards 1.5 has no progress element, and text reads everywhere.</summary>
    private static JsonObject ProgressBlock(Progress progress)
    {
        var fraction = double.IsFinite(progress.Fraction) ? Math.Clamp(progress.Fraction, 0, 1) : 0;
        var filled = (int)Math.Round(fraction * ProgressCells, MidpointRounding.AwayFromZero);
        var bar = new string('▰', filled) + new string('▱', ProgressCells - filled);
        var percent = Math.Round(progress.Fraction * 100).ToString(CultureInfo.InvariantCulture);
        var items = new JsonArray
        {
            new JsonObject { ["type"] = "TextBlock", ["text"] = NoTags(progress.Label), ["wrap"] = true, ["weight"] = "Bolder" },
            new JsonObject { ["type"] = "TextBlock", ["text"] = $"{bar} {percent}%", ["wrap"] = true, ["fontType"] = "Monospace", ["spacing"] = "None" },
        };
        if (progress.Caption is { Length: > 0 } caption)
        {
            items.Add(new JsonObject { ["type"] = "TextBlock", ["text"] = NoTags(caption), ["wrap"] = true, ["isSubtle"] = true, ["spacing"] = "None" });
        }

        return new JsonObject { ["type"] = "Container", ["items"] = items };
    }

    private static JsonObject ChoiceInput(ChoiceQuestion question)
    {
        var node = Input("Input.ChoiceSet", question.Id, question.Label, question.Required, question.ErrorMessage);
        node["style"] = question.Expanded ? "expanded" : "compact";
        node["choices"] = new JsonArray(question.Choices.Select(c => (JsonNode?)new JsonObject { ["title"] = c.Title, ["value"] = c.Value }).ToArray());
        if (question.Value is { } value)
        {
            node["value"] = value;
        }

        return node;
    }

    private static JsonObject NumberInput(NumberQuestion question)
    {
        var node = Input("Input.Number", question.Id, question.Label, question.Required, question.ErrorMessage);
        if (question.Min is { } min)
        {
            node["min"] = min;
        }

        if (question.Max is { } max)
        {
            node["max"] = max;
        }

        if (question.Value is { } value)
        {
            node["value"] = value;
        }

        if (question.Placeholder is { } placeholder)
        {
            node["placeholder"] = placeholder;
        }

        return node;
    }

    private static JsonObject TextInput(TextQuestion question)
    {
        var node = Input("Input.Text", question.Id, question.Label, question.Required, question.ErrorMessage);
        node["isMultiline"] = question.Multiline;
        if (question.MaxLength is { } maxLength)
        {
            node["maxLength"] = maxLength;
        }

        if (question.Value is { } value)
        {
            node["value"] = value;
        }

        if (question.Placeholder is { } placeholder)
        {
            node["placeholder"] = placeholder;
        }

        return node;
    }

    private static JsonObject Input(string type, string id, string label, bool required, string? errorMessage)
    {
        var node = new JsonObject { ["type"] = type, ["id"] = id, ["label"] = label, ["isRequired"] = required };
        if (required)
        {
            node["errorMessage"] = errorMessage ?? $"{label}: please answer this.";
        }

        return node;
    }

    private static JsonNode Render(CardAction action)
    {
        var data = new JsonObject { [VerbKey] = action.Verb };
        foreach (var (key, value) in action.Data)
        {
            data[key] = value;
        }

        var node = new JsonObject
        {
            ["type"] = "Action.Execute",
            ["title"] = action.Title,
            ["verb"] = action.Verb,
            ["data"] = data,
            ["associatedInputs"] = action.SubmitsInputs ? "auto" : "none",
        };
        if (action.Style != ActionStyle.Default)
        {
            node["style"] = action.Style == ActionStyle.Primary ? "positive" : "destructive";
        }

        return node;
    }
}
