using System.Text.Json;
using System.Text.Json.Nodes;
using AlignmentBot.Bot.Cards;

namespace AlignmentBot.Bot.Slack.Blocks;

/// <summary>
/// A card's inputs asked in a Slack modal instead of the message (a check-in's value, confidence and blocker; a comment).
/// Slack gives a modal only to the click that opens it, within 3 seconds of its <c>trigger_id</c>, so the button that
/// opens it carries the whole form (<see cref="FormKey"/>, a compact list of the inputs) and the endpoint opens it at
/// once, with nothing to look up. The modal's <c>private_metadata</c> carries the verb and data to send on submit, and
/// the message to update afterwards (channel and ts).
/// </summary>
public static class BlockKitForms
{
    public const string FormKey = "_form";
    public const string TitleKey = "_title";
    public const string SubmitKey = "_submit";
    public const string ContextKey = "_context";
    public const string ChannelKey = "_channel";
    public const string TsKey = "_ts";
    public const string CallbackId = "alignmentbot.form";
    public const int MaxModalTitle = 24;
    public const int MaxModalBlocks = 100;
    public const int MaxPrivateMetadata = 3000;

    /// <summary>Inputs a message cannot hold: everything but the questions answered alone (those are buttons in the message).</summary>
    public static bool IsFormInput(CardBlock block) => block is NumberQuestion or ChoiceQuestion { AnswerAlone: null } or TextQuestion { AnswerAlone: null };

    /// <summary>The inputs in few characters (a button's value holds 2000); text values only when <paramref name="withText"/>.</summary>
    public static JsonArray Spec(IEnumerable<CardBlock> inputs, bool withText = true) => new([.. inputs.Select(input => (JsonNode)(input switch
    {
        NumberQuestion n => Drop(new JsonObject
        {
            ["k"] = "n", ["id"] = n.Id, ["l"] = n.Label, ["r"] = n.Required, ["v"] = n.Value, ["min"] = n.Min, ["max"] = n.Max, ["p"] = n.Placeholder,
        }),
        ChoiceQuestion c => Drop(new JsonObject
        {
            ["k"] = "c", ["id"] = c.Id, ["l"] = c.Label, ["r"] = c.Required, ["v"] = c.Value, ["e"] = c.Expanded,
            ["o"] = c.Choices.All(x => x.Title == x.Value)
                ? new JsonArray([.. c.Choices.Select(x => (JsonNode)x.Value)])
                : new JsonArray([.. c.Choices.Select(x => (JsonNode)new JsonArray(x.Title, x.Value))]),
        }),
        TextQuestion t => Drop(new JsonObject
        {
            ["k"] = "t", ["id"] = t.Id, ["l"] = t.Label, ["r"] = t.Required, ["v"] = withText ? t.Value : null, ["m"] = t.Multiline, ["x"] = t.MaxLength, ["p"] = t.Placeholder,
        }),
        _ => throw new ArgumentException($"{input.GetType().Name} is not an input", nameof(inputs)),
    }))]);

    /// <summary>The inputs back from <see cref="Spec"/>; null when it is not one (a forged or foreign value).</summary>
    public static IReadOnlyList<CardBlock>? Read(JsonElement spec)
    {
        if (spec.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var inputs = new List<CardBlock>();
        foreach (var item in spec.EnumerateArray())
        {
            if (SlackJson.String(item, "id") is not { Length: > 0 } id || SlackJson.String(item, "l") is not { } label)
            {
                return null;
            }

            var required = item.TryGetProperty("r", out var r) && r.ValueKind == JsonValueKind.True;
            CardBlock? input = SlackJson.String(item, "k") switch
            {
                "n" => new NumberQuestion(id, label) { Required = required, Value = Number(item, "v"), Min = Number(item, "min"), Max = Number(item, "max"), Placeholder = SlackJson.String(item, "p") },
                "c" => new ChoiceQuestion(id, label, [.. SlackJson.Array(item, "o").Select(Choice).OfType<Cards.Choice>()])
                {
                    Required = required, Value = SlackJson.String(item, "v"), Expanded = !item.TryGetProperty("e", out var e) || e.ValueKind != JsonValueKind.False,
                },
                "t" => new TextQuestion(id, label)
                {
                    Required = required, Value = SlackJson.String(item, "v"), Multiline = item.TryGetProperty("m", out var m) && m.ValueKind == JsonValueKind.True,
                    MaxLength = Number(item, "x") is { } x ? (int)x : null, Placeholder = SlackJson.String(item, "p"),
                },
                _ => null,
            };
            if (input is null)
            {
                return null;
            }

            inputs.Add(input);
        }

        return inputs.Count == 0 ? null : inputs;
    }

    /// <summary>
    /// The modal a pressed button's value asks for (null when it asks for none, or its form is broken): the inputs, and as
    /// private metadata the action without the form plus the message it was pressed on (<paramref name="channel"/>, <paramref name="ts"/>).
    /// </summary>
    public static JsonObject? ModalFor(JsonElement value, string? channel, string? ts)
    {
        if (!value.TryGetProperty(FormKey, out var spec) || Read(spec) is not { } inputs || SlackJson.String(value, BlockKitRenderer.VerbKey) is null)
        {
            return null;
        }

        var metadata = new JsonObject();
        foreach (var property in value.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.String && !p.Name.StartsWith('_')))
        {
            metadata[property.Name] = property.Value.GetString();
        }

        metadata[ChannelKey] = channel;
        metadata[TsKey] = ts;
        return View(SlackJson.String(value, TitleKey) ?? "Answer", SlackJson.String(value, SubmitKey) ?? "Save", SlackJson.String(value, ContextKey), inputs, metadata.ToJsonString());
    }

    /// <summary>The modal: the card's title for context, the inputs (block and action id = the input's id), submit and cancel.</summary>
    public static JsonObject View(string title, string submit, string? context, IReadOnlyList<CardBlock> inputs, string privateMetadata)
    {
        var blocks = new List<JsonNode>();
        if (context is { Length: > 0 })
        {
            blocks.Add(new JsonObject { ["type"] = "section", ["text"] = new JsonObject { ["type"] = "mrkdwn", ["text"] = $"*{BlockKitRenderer.Escape(BlockKitRenderer.Clip(context, 2900))}*" } });
        }

        blocks.AddRange(inputs.Take(MaxModalBlocks - blocks.Count).Select(input => (JsonNode)(input switch
        {
            ChoiceQuestion c => BlockKitInputs.Input(c.Id, c.Label, c.Required, BlockKitInputs.Choice(c), null),
            NumberQuestion n => BlockKitInputs.Input(n.Id, n.Label, n.Required, BlockKitInputs.Number(n), null),
            TextQuestion t => BlockKitInputs.Input(t.Id, t.Label, t.Required, BlockKitInputs.Text(t), null),
            _ => throw new ArgumentException($"{input.GetType().Name} is not an input", nameof(inputs)),
        })));
        return new JsonObject
        {
            ["type"] = "modal",
            ["callback_id"] = CallbackId,
            ["title"] = BlockKitRenderer.Plain(BlockKitRenderer.Clip(title, MaxModalTitle)),
            ["submit"] = BlockKitRenderer.Plain(BlockKitRenderer.Clip(submit, MaxModalTitle)),
            ["close"] = BlockKitRenderer.Plain("Cancel"),
            ["private_metadata"] = privateMetadata.Length <= MaxPrivateMetadata ? privateMetadata
                : throw new InvalidOperationException($"a modal's private_metadata is {privateMetadata.Length} characters; Slack allows {MaxPrivateMetadata}"),
            ["blocks"] = new JsonArray([.. blocks]),
        };
    }

    private static Cards.Choice? Choice(JsonElement option) => option.ValueKind switch
    {
        JsonValueKind.String => new Cards.Choice(option.GetString()!, option.GetString()!),
        JsonValueKind.Array when option.GetArrayLength() == 2 && option[0].ValueKind == JsonValueKind.String && option[1].ValueKind == JsonValueKind.String
            => new Cards.Choice(option[0].GetString()!, option[1].GetString()!),
        _ => null,
    };

    private static double? Number(JsonElement item, string name) =>
        item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : null;

    /// <summary>Leaves out what is unset, so the value stays short.</summary>
    private static JsonObject Drop(JsonObject spec)
    {
        foreach (var name in spec.Where(p => p.Value is null || (p.Value is JsonValue v && v.TryGetValue<bool>(out var b) && !b && p.Key != "e")).Select(p => p.Key).ToList())
        {
            spec.Remove(name);
        }

        return spec;
    }
}
