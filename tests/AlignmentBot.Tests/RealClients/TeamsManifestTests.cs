using System.Diagnostics;
using System.IO.Compression;
using System.Text.Json;
using AlignmentBot.Tests.Support;

namespace AlignmentBot.Tests.RealClients;

/// <summary>The Teams app package: Microsoft's own manifest validator, the icon rules, the package script.</summary>
public class TeamsManifestTests
{
    private static string ManifestDirectory => Path.Combine(RepositoryPaths.Root, "manifests", "teams");

    [Test]
    public async Task The_manifest_validates_with_zero_errors_in_app_manifest_1_1_2()
    {
        using var result = await NodeClients.RunJsonAsync("validate-manifest.cjs", Path.Combine(ManifestDirectory, "manifest.json"));

        Assert.That(result.RootElement.GetProperty("errors").EnumerateArray().Select(e => e.GetString()), Is.Empty);
        Assert.That(result.RootElement.GetProperty("schema").GetString(), Does.Contain("json-schemas/teams/v1.19"), "validated against the package's local schema");
    }

    [Test]
    public async Task The_validator_reports_a_broken_manifest()
    {
        var manifest = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(ManifestDirectory, "manifest.json"))).RootElement.ToString()
            .Replace("\"groupChat\"", "\"everywhere\"", StringComparison.Ordinal);
        var file = Path.Combine(TestContext.CurrentContext.WorkDirectory, $"manifest-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, manifest);

        using var result = await NodeClients.RunJsonAsync("validate-manifest.cjs", file);

        Assert.That(result.RootElement.GetProperty("errors").GetArrayLength(), Is.GreaterThan(0));
    }

    [Test]
    public void The_bot_is_offered_in_personal_team_and_group_chat_scopes()
    {
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(ManifestDirectory, "manifest.json")));

        var scopes = manifest.RootElement.GetProperty("bots")[0].GetProperty("scopes").EnumerateArray().Select(s => s.GetString());
        Assert.That(scopes, Is.EquivalentTo(new[] { "personal", "team", "groupChat" }));
    }

    [TestCase("color.png", 192, false)]
    [TestCase("outline.png", 32, true)]
    public void Icons_have_the_sizes_Teams_requires_and_the_outline_is_white_on_transparent(string file, int size, bool outline)
    {
        var image = Png.Read(Path.Combine(ManifestDirectory, file));

        Assert.That((image.Width, image.Height), Is.EqualTo((size, size)));
        if (outline)
        {
            Assert.That(image.Pixels.Any(p => p.A == 0), Is.True, "transparent background");
            Assert.That(image.Pixels.Where(p => p.A > 0).All(p => p.R == 255 && p.G == 255 && p.B == 255), Is.True, "only white pixels");
        }
    }

    [Test]
    public async Task The_package_script_writes_a_zip_with_the_app_id_filled_in()
    {
        var appId = Guid.NewGuid().ToString();
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(RepositoryPaths.Root, "scripts", "package-teams-app.sh"));
        start.ArgumentList.Add("--version");
        start.ArgumentList.Add("2.3.4");
        start.Environment["Teams__AppId"] = appId;
        using var script = Process.Start(start)!;
        var output = await script.StandardOutput.ReadToEndAsync();
        var errors = await script.StandardError.ReadToEndAsync();
        await script.WaitForExitAsync();

        Assert.That(script.ExitCode, Is.Zero, errors);
        using var zip = ZipFile.OpenRead(output.Trim());
        Assert.That(zip.Entries.Select(e => e.FullName), Is.EquivalentTo(new[] { "manifest.json", "color.png", "outline.png" }));
        using var manifest = await JsonDocument.ParseAsync(zip.GetEntry("manifest.json")!.Open());
        Assert.Multiple(() =>
        {
            Assert.That(manifest.RootElement.GetProperty("id").GetString(), Is.EqualTo(appId));
            Assert.That(manifest.RootElement.GetProperty("bots")[0].GetProperty("botId").GetString(), Is.EqualTo(appId));
            Assert.That(manifest.RootElement.GetProperty("version").GetString(), Is.EqualTo("2.3.4"));
        });
    }

    [Test]
    public async Task The_package_script_refuses_without_an_app_id_naming_the_setting()
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(RepositoryPaths.Root, "scripts", "package-teams-app.sh"));
        start.Environment["Teams__AppId"] = "not-a-guid";
        using var script = Process.Start(start)!;
        var errors = await script.StandardError.ReadToEndAsync();
        await script.WaitForExitAsync();

        Assert.That(script.ExitCode, Is.Not.Zero);
        Assert.That(errors, Does.Contain("Teams:AppId"));
    }
}
