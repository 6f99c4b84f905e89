using System.Net;
using AlignmentBot.Bot.Hosting;
using AlignmentBot.Bot.Slack;
using AlignmentBot.Bot.Slack.Install;
using AlignmentBot.Tests.Hosting;
using AlignmentBot.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace AlignmentBot.Tests.Slack.Install;

/// <summary>The install's settings at start-up (each missing one named on one line), its routes only in OAuth mode, and the manifest agreeing with the code.</summary>
public class SlackInstallSettingsTests
{
    private const string Secret = "0123456789abcdef0123456789abcdef";

    private static List<string> Failures(SlackOptions options) => new SlackOptionsValidator().Validate(null, options).Failures?.ToList() ?? [];

    [Test]
    public void Oauth_mode_names_each_missing_setting_on_its_own_line()
    {
        var failures = Failures(new SlackOptions { SigningSecret = Secret });

        Assert.That(failures.Select(f => f.Split(' ')[0]), Is.EquivalentTo(new[] { "Slack:ClientId", "Slack:ClientSecret", "Slack:RedirectUri" }));
    }

    [Test]
    public void Oauth_mode_with_everything_set_is_valid_and_single_workspace_mode_needs_none_of_it()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Failures(new SlackOptions
            {
                SigningSecret = Secret, ClientId = "1111.2222", ClientSecret = "s3cret", RedirectUri = "https://bot.example.com/slack/oauth/callback",
            }), Is.Empty);
            Assert.That(Failures(new SlackOptions { SigningSecret = Secret, BotToken = "xoxb-1-2-abc" }), Is.Empty);
            Assert.That(new SlackOptions { SigningSecret = Secret, BotToken = "xoxb-1-2-abc" }.UsesOAuthInstall, Is.False);
        });
    }

    [TestCase("http://bot.example.com/slack/oauth/callback")]
    [TestCase("not an address")]
    [TestCase("/slack/oauth/callback")]
    public void A_redirect_uri_must_be_absolute_https(string redirect)
    {
        var failures = Failures(new SlackOptions { SigningSecret = Secret, ClientId = "1111.2222", ClientSecret = "s3cret", RedirectUri = redirect });

        Assert.That(failures, Has.One.StartsWith("Slack:RedirectUri must be an absolute https address"));
    }

    [Test]
    public async Task A_missing_client_secret_stops_the_real_process_with_one_line_naming_it()
    {
        await using var bot = BotProcess.Start(new Dictionary<string, string>
        {
            ["Slack__SigningSecret"] = Secret, ["Slack__ClientId"] = "1111.2222", ["Slack__RedirectUri"] = "https://bot.example.com/slack/oauth/callback",
        });

        var exitCode = await bot.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.That(exitCode, Is.EqualTo(StartupFailure.BadConfiguration));
        StartupTests.AssertOneLine(bot, "Slack:ClientSecret is not set");
        Assert.That(bot.StandardError + bot.StandardOutput, Does.Not.Contain(Secret), "no secret in the output");
    }

    [Test]
    public async Task The_install_routes_are_404_in_single_workspace_mode()
    {
        await using var harness = await SlackHarness.StartAsync();

        using var install = await harness.Client.GetAsync(SlackInstallEndpoints.InstallPath);
        using var callback = await harness.Client.GetAsync(SlackInstallEndpoints.CallbackPath + "?code=x&state=y");

        Assert.That(new[] { install.StatusCode, callback.StatusCode }, Has.All.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public void The_manifest_asks_for_exactly_the_scopes_of_the_install_link_and_lists_its_redirect_url()
    {
        var stream = new YamlStream();
        using (var reader = new StreamReader(Path.Combine(RepositoryPaths.Root, "manifests", "slack", "manifest.yaml")))
        {
            stream.Load(reader);
        }

        var oauth = (YamlMappingNode)((YamlMappingNode)stream.Documents.Single().RootNode).Children[new YamlScalarNode("oauth_config")];
        var scopes = (YamlSequenceNode)((YamlMappingNode)oauth.Children[new YamlScalarNode("scopes")]).Children[new YamlScalarNode("bot")];
        var redirects = (YamlSequenceNode)oauth.Children[new YamlScalarNode("redirect_urls")];

        Assert.Multiple(() =>
        {
            Assert.That(scopes.Children.Select(s => ((YamlScalarNode)s).Value), Is.EqualTo(SlackScopes.Bot));
            Assert.That(redirects.Children.Select(r => new Uri(((YamlScalarNode)r).Value!).AbsolutePath), Is.EqualTo(new[] { SlackInstallEndpoints.CallbackPath }));
        });
    }
}
