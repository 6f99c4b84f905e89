using System.Text.Json.Nodes;
using AlignmentBot.Bot.Cards;

namespace AlignmentBot.Bot.Slack.Blocks;

/// <summary>
/// Questions answered one tap at a time (<see cref="ChoiceQuestion.AnswerAlone"/>): a Likert scale as a row of buttons,
/// 0–10 as two rows (0–5, 6–10), other choices as buttons or, past <see cref="MaxButtons"/>, a static select. Each button's
/// value is the answer action's verb and data plus the chosen value under the question's id: the question and the answer,
/// never the person (Slack says who clicked). A question already answered says so without saying what the answer was.
/// A text question answered alone is a button that opens its own modal (<see cref="BlockKitForms"/>).
/// </summary>
internal static class BlockKitAnswers
{
    public const int MaxButtons = 11;
    public const string InputKey = "_in";

    private const int RowOf = 6;

    public static IEnumerable<JsonObject> Choice(ChoiceQuestion question, CardAction answer)
    {
        yield return Section(question.Label, question.Value is not null ? "Answered — tap another to change it." : null, accessory: null);
        if (question.Choices.Count > MaxButtons)
        {
            var select = new JsonObject
            {
                ["type"] = "static_select",
                // The select's own id carries the action; the chosen option's value is the answer (options hold 150 characters).
                ["action_id"] = ActionId(answer, question.Id),
                ["placeholder"] = BlockKitRenderer.Plain("Choose…"),
                ["options"] = new JsonArray([.. question.Choices.Take(BlockKitRenderer.MaxSelectOptions).Select(c => (JsonNode)new JsonObject
                {
                    ["text"] = BlockKitRenderer.Plain(BlockKitRenderer.Clip(c.Title, BlockKitRenderer.MaxOptionText)), ["value"] = BlockKitRenderer.Clip(c.Value, 150),
                })]),
            };
            yield return new JsonObject { ["type"] = "actions", ["block_id"] = question.Id, ["elements"] = new JsonArray(select) };
            yield break;
        }

        var rows = question.Choices.Chunk(RowOf).ToList();
        for (var row = 0; row < rows.Count; row++)
        {
            yield return new JsonObject
            {
                ["type"] = "actions",
                ["block_id"] = rows.Count == 1 ? question.Id : $"{question.Id}.{row}",
                ["elements"] = new JsonArray([.. rows[row].Select(choice => (JsonNode)new JsonObject
                {
                    ["type"] = "button",
                    ["action_id"] = BlockKitRenderer.Clip($"{question.Id}={choice.Value}", 255),
                    ["text"] = BlockKitRenderer.Plain(BlockKitRenderer.Clip(choice.Title, BlockKitRenderer.MaxButtonText)),
                    ["value"] = BlockKitRenderer.ButtonValue(answer with { Data = With(answer.Data, question.Id, choice.Value) }),
                })]),
            };
        }
    }

    public static JsonObject Text(TextQuestion question, CardAction answer)
    {
        var form = BlockKitForms.Spec([question with { Value = null, AnswerAlone = null }]);
        var button = new JsonObject
        {
            ["type"] = "button",
            ["action_id"] = BlockKitRenderer.Clip($"{question.Id}.open", 255),
            ["text"] = BlockKitRenderer.Plain(BlockKitRenderer.Clip(answer.Title, BlockKitRenderer.MaxButtonText)),
            ["value"] = BlockKitRenderer.FormValue(answer, form, answer.Title, "Save", context: null),
        };
        return Section(question.Label, question.Value is { Length: > 0 } ? "Your comment is recorded." : null, button);
    }

    private static JsonObject Section(string label, string? done, JsonObject? accessory)
    {
        var text = $"*{BlockKitRenderer.Escape(label)}*" + (done is null ? "" : $"\n:white_check_mark: {done}");
        var section = new JsonObject { ["type"] = "section", ["text"] = new JsonObject { ["type"] = "mrkdwn", ["text"] = BlockKitRenderer.Clip(text, BlockKitRenderer.MaxText) } };
        if (accessory is not null)
        {
            section["accessory"] = accessory;
        }

        return section;
    }

    private static string ActionId(CardAction answer, string inputId)
    {
        var id = BlockKitRenderer.ButtonValue(answer with { Data = With(answer.Data, InputKey, inputId) });
        return id.Length <= 255 ? id : throw new InvalidOperationException($"the select for \"{inputId}\" carries {id.Length} characters in its action_id; Slack allows 255");
    }

    private static Dictionary<string, string> With(IReadOnlyDictionary<string, string> data, string key, string value) => new(data) { [key] = value };
}
