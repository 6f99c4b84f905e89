using System.Diagnostics;
using System.IO.Compression;
using System.Text.Json;
using AlignmentBot.Tests.Support;

namespace AlignmentBot.Tests.RealClients;

/// <summary>The Teams tab in the app package: the tabs, SSO's webApplicationInfo, and the package script filling in the host.</summary>
public class TeamsTabManifestTests
{
    private static string ManifestDirectory => Path.Combine(RepositoryPaths.Root, "manifests", "teams");

    [Test]
    public void The_manifest_has_the_personal_tab_the_channel_tab_and_teams_sso()
    {
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(ManifestDirectory, "manifest.json")));
        var root = manifest.RootElement;

        var personal = root.GetProperty("staticTabs")[0];
        var channel = root.GetProperty("configurableTabs")[0];
        var sso = root.GetProperty("webApplicationInfo");
        Assert.Multiple(() =>
        {
            Assert.That(personal.GetProperty("name").GetString(), Is.EqualTo("My teams"));
            Assert.That(personal.GetProperty("contentUrl").GetString(), Does.EndWith("/tab/open?to=/tab/teams"));
            Assert.That(channel.GetProperty("configurationUrl").GetString(), Does.EndWith("/tab/configure"));
            Assert.That(channel.GetProperty("context").EnumerateArray().Select(c => c.GetString()), Does.Contain("channelTab"));
            Assert.That(sso.GetProperty("resource").GetString(), Does.Match("^api://[^/]+/botid-[0-9a-f-]{36}$"));
            Assert.That(root.GetProperty("validDomains").EnumerateArray().Select(d => d.GetString()),
                Does.Contain(new Uri(personal.GetProperty("contentUrl").GetString()!).Host), "Teams opens only valid domains");
        });
    }

    [TestCase("bot.contoso.com", true)]
    [TestCase(null, false)]
    public async Task The_package_script_fills_in_the_tab_host_and_app_id_or_leaves_the_tab_out(string? host, bool tab)
    {
        var appId = Guid.NewGuid().ToString();
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(RepositoryPaths.Root, "scripts", "package-teams-app.sh"));
        start.Environment["Teams__AppId"] = appId;
        start.Environment["Dashboard__Tab__Host"] = host ?? "";
        using var script = Process.Start(start)!;
        var output = await script.StandardOutput.ReadToEndAsync();
        var errors = await script.StandardError.ReadToEndAsync();
        await script.WaitForExitAsync();

        Assert.That(script.ExitCode, Is.Zero, errors);
        using var zip = ZipFile.OpenRead(output.Trim());
        using var manifest = await JsonDocument.ParseAsync(zip.GetEntry("manifest.json")!.Open());
        var root = manifest.RootElement;
        if (tab)
        {
            Assert.That(root.GetProperty("webApplicationInfo").GetProperty("id").GetString(), Is.EqualTo(appId));
            Assert.That(root.GetProperty("webApplicationInfo").GetProperty("resource").GetString(), Is.EqualTo($"api://{host}/botid-{appId}"));
            Assert.That(root.GetProperty("staticTabs")[0].GetProperty("contentUrl").GetString(), Is.EqualTo($"https://{host}/tab/open?to=/tab/teams"));
            Assert.That(root.GetProperty("validDomains").EnumerateArray().Select(d => d.GetString()), Is.EqualTo(new[] { host }));
        }
        else
        {
            Assert.That(root.TryGetProperty("staticTabs", out _) || root.TryGetProperty("webApplicationInfo", out _), Is.False, "no host, no tab");
        }
    }
}
