using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AlignmentBot.Bot.Slack.Blocks;
using AlignmentBot.Tests.Cards;
using AlignmentBot.Tests.Support;

namespace AlignmentBot.Tests.RealClients;

/// <summary>
/// Every Block Kit message the bot can send, assigned to Slack's own <c>KnownBlock[]</c> from the official
/// <c>@slack/types</c> 3.2.0 and compiled with <c>tsc --strict</c>: a wrong or missing field fails the build.
/// </summary>
public class BlockKitTypeCheckTests
{
    private static async Task<(int ExitCode, string Output)> TypeCheckAsync(IEnumerable<(string Name, JsonArray Blocks)> messages, IEnumerable<(string Name, JsonObject View)>? views = null)
    {
        var source = new StringBuilder("import type { KnownBlock, ModalView } from \"@slack/types\";\n\n");
        var i = 0;
        foreach (var (name, blocks) in messages)
        {
            source.Append("// ").Append(name.Replace('\n', ' ')).Append('\n');
            source.Append("export const message").Append(i++).Append(": KnownBlock[] = ").Append(blocks.ToJsonString()).Append(";\n\n");
        }

        foreach (var (name, view) in views ?? [])
        {
            source.Append("// modal of ").Append(name.Replace('\n', ' ')).Append('\n');
            source.Append("export const view").Append(i++).Append(": ModalView = ").Append(view.ToJsonString()).Append(";\n\n");
        }

        var file = Path.Combine(NodeClients.Directory, $"blocks-{Guid.NewGuid():N}.ts");
        await File.WriteAllTextAsync(file, source.ToString());
        try
        {
            var (exitCode, output, errors) = await NodeClients.RunAsync("node_modules/typescript/bin/tsc", "--strict", "--noEmit", "--target", "es2022",
                "--module", "commonjs", "--moduleResolution", "node", Path.GetFileName(file));
            return (exitCode, output + errors);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Test]
    public async Task Every_sample_message_type_checks_as_known_blocks()
    {
        var messages = CardSamples.All().Select(s => (s.Name, BlockKitRenderer.Blocks(s.Card))).ToList();
        var views = messages.SelectMany(m => Modals(m.Name, m.Item2)).ToList();

        var (exitCode, output) = await TypeCheckAsync(messages, views);

        Assert.That(messages, Has.Count.GreaterThan(10));
        Assert.That(views.Select(v => v.Name), Has.Some.StartsWith("pulse").And.Some.StartsWith("check-in"), "the comment and check-in modals are among them");
        Assert.That(exitCode, Is.Zero, output);
    }

    /// <summary>The modal behind every button that opens one, as Slack would be asked to open it.</summary>
    private static IEnumerable<(string Name, JsonObject View)> Modals(string name, JsonArray blocks) =>
        from button in blocks.OfType<JsonObject>()
            .SelectMany(b => (string?)b["type"] == "actions" ? ((JsonArray)b["elements"]!).OfType<JsonObject>() : b["accessory"] is JsonObject a ? [a] : [])
        where (string?)button["type"] == "button"
        let value = JsonDocument.Parse((string)button["value"]!).RootElement
        let view = BlockKitForms.ModalFor(value, "D0ALICE", "1700000000.000100")
        where view is not null
        select ($"{name}: {(string?)button["text"]!["text"]}", view);

    [Test]
    public async Task A_wrong_modal_fails_the_type_check()
    {
        var broken = new JsonObject { ["type"] = "modal", ["title"] = "not plain text", ["blocks"] = new JsonArray() };

        var (exitCode, output) = await TypeCheckAsync([], [("broken", broken)]);

        Assert.That(exitCode, Is.Not.Zero);
        Assert.That(output, Does.Contain("error TS"));
    }

    [Test]
    public async Task The_type_check_catches_a_wrong_block()
    {
        var broken = new JsonArray(new JsonObject { ["type"] = "actions", ["elements"] = new JsonArray(new JsonObject { ["type"] = "buton", ["text"] = "x" }) });

        var (exitCode, output) = await TypeCheckAsync([("broken", broken)]);

        Assert.That(exitCode, Is.Not.Zero);
        Assert.That(output, Does.Contain("error TS"));
    }
}
