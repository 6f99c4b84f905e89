using System.Globalization;
using System.Text.Json.Nodes;
using AlignmentBot.Bot.Cards;

namespace AlignmentBot.Bot.Slack.Blocks;

/// <summary>
/// A card's questions as Block Kit <c>input</c> blocks (block and action id = the question's id): radio buttons for up
/// to ten choices shown at once, else a static select; a number input; a plain-text input. Their values come with
/// the button pressed (<c>state.values</c>), as an Adaptive Card's inputs come with its submit.
/// </summary>
internal static class BlockKitInputs
{
    public static JsonObject Input(string id, string label, bool required, JsonObject element, string? error)
    {
        element["action_id"] = id;
        var input = new JsonObject
        {
            ["type"] = "input",
            ["block_id"] = id,
            ["label"] = BlockKitRenderer.Plain(BlockKitRenderer.Clip(label, BlockKitRenderer.MaxLabel)),
            ["optional"] = !required,
            ["element"] = element,
        };
        if (error is { Length: > 0 })
        {
            input["hint"] = BlockKitRenderer.Plain(BlockKitRenderer.Clip($"⚠ {error}", BlockKitRenderer.MaxLabel));
        }

        return input;
    }

    public static JsonObject Choice(ChoiceQuestion choice)
    {
        var radio = choice.Expanded && choice.Choices.Count <= BlockKitRenderer.MaxRadioOptions;
        var options = choice.Choices.Take(radio ? BlockKitRenderer.MaxRadioOptions : BlockKitRenderer.MaxSelectOptions).Select(Option).ToList();
        var element = new JsonObject { ["type"] = radio ? "radio_buttons" : "static_select", ["options"] = new JsonArray([.. options]) };
        if (!radio)
        {
            element["placeholder"] = BlockKitRenderer.Plain("Choose…");
        }

        if (choice.Value is { } value && choice.Choices.FirstOrDefault(c => c.Value == value) is { } chosen)
        {
            element["initial_option"] = Option(chosen);
        }

        return element;
    }

    private static JsonObject Option(Cards.Choice choice) => new JsonObject { ["text"] = BlockKitRenderer.Plain(BlockKitRenderer.Clip(choice.Title, BlockKitRenderer.MaxOptionText)), ["value"] = BlockKitRenderer.Clip(choice.Value, 150) };

    public static JsonObject Number(NumberQuestion number)
    {
        var element = new JsonObject { ["type"] = "number_input", ["is_decimal_allowed"] = true };
        if (number.Min is { } min)
        {
            element["min_value"] = Value(min);
        }

        if (number.Max is { } max)
        {
            element["max_value"] = Value(max);
        }

        if (number.Value is { } value)
        {
            element["initial_value"] = Value(value);
        }

        if (number.Placeholder is { Length: > 0 } placeholder)
        {
            element["placeholder"] = BlockKitRenderer.Plain(BlockKitRenderer.Clip(placeholder, 150));
        }

        return element;
    }

    public static JsonObject Text(TextQuestion text)
    {
        var element = new JsonObject { ["type"] = "plain_text_input", ["multiline"] = text.Multiline };
        if (text.MaxLength is { } max)
        {
            element["max_length"] = Math.Min(max, 3000);
        }

        if (text.Value is { Length: > 0 } value)
        {
            element["initial_value"] = BlockKitRenderer.Clip(value, Math.Min(text.MaxLength ?? 3000, 3000));
        }

        if (text.Placeholder is { Length: > 0 } placeholder)
        {
            element["placeholder"] = BlockKitRenderer.Plain(BlockKitRenderer.Clip(placeholder, 150));
        }

        return element;
    }

    private static JsonValue Value(double value) => JsonValue.Create(value.ToString(CultureInfo.InvariantCulture));
}
