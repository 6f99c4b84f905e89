using System.Text;
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
    private static async Task<(int ExitCode, string Output)> TypeCheckAsync(IEnumerable<(string Name, JsonArray Blocks)> messages)
    {
        var source = new StringBuilder("import type { KnownBlock } from \"@slack/types\";\n\n");
        var i = 0;
        foreach (var (name, blocks) in messages)
        {
            source.Append("// ").Append(name.Replace('\n', ' ')).Append('\n');
            source.Append("export const message").Append(i++).Append(": KnownBlock[] = ").Append(blocks.ToJsonString()).Append(";\n\n");
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

        var (exitCode, output) = await TypeCheckAsync(messages);

        Assert.That(messages, Has.Count.GreaterThan(10));
        Assert.That(exitCode, Is.Zero, output);
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
