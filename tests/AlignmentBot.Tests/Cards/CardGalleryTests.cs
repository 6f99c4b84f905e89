using System.Text.Json;
using System.Text.Json.Nodes;
using AlignmentBot.Bot.Cards;
using AlignmentBot.Bot.Digests.Charts;
using AlignmentBot.Tests.Digests;
using AlignmentBot.Tests.Support;

namespace AlignmentBot.Tests.Cards;

/// <summary>
/// The gallery: every card of <see cref="CardSamples"/> drawn by the official adaptivecards renderer in Debian's
/// Chromium with Teams' light and dark host configs, in a Teams chat column, into artifacts/cards/ (index.html and a
/// PNG per card and theme). <c>scripts/cards.sh</c> runs it. It fails when a card cannot be drawn, runs out of the
/// column, has text cut off, or has text too faint to read in either theme.
/// </summary>
public class CardGalleryTests
{
    /// <summary>
    /// The narrowest frame the Adaptive Cards designer's Teams host draws (<c>min-width: 400px</c>): a card that fits
    /// here fits a Teams desktop chat at any window width.
    /// </summary>
    public const int ChatColumnPixels = 400;

    public static string Folder => Path.Combine(RepositoryPaths.Root, "artifacts", "cards");

    /// <summary>Draws the cards with card-gallery.cjs into <paramref name="folder"/>; one report per card and theme.</summary>
    public static async Task<List<JsonElement>> DrawAsync(IReadOnlyList<(string Name, JsonObject Card)> cards, string folder)
    {
        Directory.CreateDirectory(folder);
        var file = Path.Combine(TestContext.CurrentContext.WorkDirectory, $"gallery-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, new JsonArray([.. cards.Select(c => (JsonNode)new JsonObject { ["name"] = c.Name, ["card"] = c.Card })]).ToJsonString());
        using var result = await NodeClients.RunJsonAsync("card-gallery.cjs", "--cards", file, "--out", folder, "--width", ChatColumnPixels.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var report = JsonDocument.Parse(await File.ReadAllBytesAsync(result.RootElement.GetProperty("report").GetString()!));
        return [.. report.RootElement.EnumerateArray().Select(r => r.Clone())];
    }

    [Test]
    public async Task Every_card_draws_in_Teams_light_and_dark_within_a_chat_column_readably()
    {
        if (Directory.Exists(Folder))
        {
            Directory.Delete(Folder, recursive: true);
        }

        Directory.CreateDirectory(Folder);
        // A real chart beside the pages, so the digest samples show their picture as Teams would.
        await File.WriteAllBytesAsync(Path.Combine(Folder, "chart.png"), TrendChartRenderer.Render(TrendChartRendererTests.Sample(keyResults: 8)));
        var cards = CardSamples.All(new Uri(Path.Combine(Folder, "chart.png"))).Select(c => (c.Name, AdaptiveCardRenderer.Render(c.Card))).ToList();

        var reports = await DrawAsync(cards, Folder);

        Assert.That(reports, Has.Count.EqualTo(2 * cards.Count), "each card in the light and the dark theme");
        Assert.Multiple(() =>
        {
            foreach (var r in reports)
            {
                var what = $"{r.GetProperty("name").GetString()} ({r.GetProperty("theme").GetString()})";
                Assert.That(r.GetProperty("rendered").GetBoolean(), Is.True, $"{what} could not be drawn: {r.GetProperty("error")}");
                Assert.That(r.GetProperty("events").GetArrayLength(), Is.Zero, $"{what}: the renderer complains: {r.GetProperty("events")}");
                Assert.That(r.GetProperty("overflow").GetArrayLength(), Is.Zero, $"{what} runs out of the {ChatColumnPixels}-pixel column: {r.GetProperty("overflow")}");
                Assert.That(r.GetProperty("clipped").GetArrayLength(), Is.Zero, $"{what} has text cut off: {r.GetProperty("clipped")}");
                Assert.That(r.GetProperty("lowContrast").GetArrayLength(), Is.Zero, $"{what} has text too faint to read (WCAG AA): {r.GetProperty("lowContrast")}");
                Assert.That(File.Exists(Path.Combine(Folder, r.GetProperty("png").GetString() ?? "")), Is.True, $"{what}: its PNG");
            }
        });
        Assert.That(File.ReadAllText(Path.Combine(Folder, "index.html")), Does.Contain(reports[0].GetProperty("png").GetString()));
    }

    [Test]
    public async Task The_gallery_does_report_a_card_that_runs_out_of_the_column_is_cut_off_faint_or_cannot_be_drawn()
    {
        JsonObject Card(params JsonNode[] body) => new() { ["type"] = "AdaptiveCard", ["version"] = "1.5", ["body"] = new JsonArray(body) };
        var wide = Card(new JsonObject
        {
            ["type"] = "ColumnSet",
            ["columns"] = new JsonArray(new JsonObject { ["type"] = "Column", ["width"] = "600px", ["items"] = new JsonArray(new JsonObject { ["type"] = "TextBlock", ["text"] = "wide" }) }),
        });
        var cut = Card(new JsonObject { ["type"] = "TextBlock", ["text"] = new string('x', 300), ["wrap"] = false });
        var faint = Card(new JsonObject { ["type"] = "TextBlock", ["text"] = "yellow on white", ["color"] = "Warning", ["wrap"] = true });
        var broken = Card(new JsonObject { ["type"] = "NoSuchElement" });
        var folder = Path.Combine(TestContext.CurrentContext.WorkDirectory, $"gallery-{Guid.NewGuid():N}");

        var reports = await DrawAsync([("wide", wide), ("cut", cut), ("faint", faint), ("broken", broken)], folder);

        JsonElement Light(string name) => reports.Single(r => r.GetProperty("name").GetString() == name && r.GetProperty("theme").GetString() == "light");
        Assert.Multiple(() =>
        {
            Assert.That(Light("wide").GetProperty("overflow").GetArrayLength(), Is.GreaterThan(0));
            Assert.That(Light("cut").GetProperty("clipped").GetArrayLength(), Is.GreaterThan(0));
            Assert.That(Light("faint").GetProperty("lowContrast").GetArrayLength(), Is.GreaterThan(0), "Teams' light warning colour on white");
            Assert.That(Light("broken").GetProperty("events").GetArrayLength(), Is.GreaterThan(0), "the renderer's complaints are reported");
        });
    }
}
