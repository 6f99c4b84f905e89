using AlignmentBot.Bot.Slack;
using AlignmentBot.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace AlignmentBot.Tests.Slack;

/// <summary>manifests/slack/manifest.yaml: parsed as YAML, every URL one base + the bot's real endpoint paths, the scopes and events the bot needs.</summary>
public class SlackManifestTests
{
    private static YamlMappingNode Manifest()
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(Path.Combine(RepositoryPaths.Root, "manifests", "slack", "manifest.yaml"));
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents.Single().RootNode;
    }

    private static YamlNode At(YamlNode node, params string[] path) =>
        path.Aggregate(node, (current, key) => ((YamlMappingNode)current).Children[new YamlScalarNode(key)]);

    private static string Scalar(YamlNode node, params string[] path) => ((YamlScalarNode)At(node, path)).Value!;

    private static IEnumerable<string> List(YamlNode node, params string[] path) => ((YamlSequenceNode)At(node, path)).Children.Select(c => ((YamlScalarNode)c).Value!);

    [Test]
    public void Its_urls_are_one_base_and_the_bots_endpoints()
    {
        var manifest = Manifest();
        var command = (YamlMappingNode)((YamlSequenceNode)At(manifest, "features", "slash_commands")).Children.Single();
        var urls = new[]
        {
            Scalar(manifest, "settings", "event_subscriptions", "request_url"),
            Scalar(manifest, "settings", "interactivity", "request_url"),
            Scalar(command, "url"),
        }.Select(u => new Uri(u)).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(urls.Select(u => u.GetLeftPart(UriPartial.Authority)).Distinct(), Has.Exactly(1).Items, "one setting: the bot's address");
            Assert.That(urls.Select(u => u.AbsolutePath), Is.EqualTo(new[] { SlackEventsEndpoint.Path, SlackInteractivityEndpoint.Path, SlackCommandsEndpoint.Path }));
            Assert.That(urls.Select(u => u.Scheme), Has.All.EqualTo("https"));
            Assert.That(Scalar(command, "command"), Is.EqualTo("/alignment"));
        });
    }

    [Test]
    public void It_asks_for_the_scopes_and_events_the_bot_uses_and_no_socket_mode()
    {
        var manifest = Manifest();

        Assert.Multiple(() =>
        {
            Assert.That(List(manifest, "oauth_config", "scopes", "bot"), Is.SupersetOf(new[]
            {
                "chat:write", "commands", "im:history", "users:read", "app_mentions:read", "channels:read", "groups:read",
            }));
            Assert.That(List(manifest, "settings", "event_subscriptions", "bot_events"), Is.EquivalentTo(new[]
            {
                "app_mention", "message.im", "app_home_opened", "member_joined_channel", "app_uninstalled", "tokens_revoked",
            }));
            Assert.That(Scalar(manifest, "settings", "socket_mode_enabled"), Is.EqualTo("false"));
            Assert.That(Scalar(manifest, "features", "app_home", "messages_tab_enabled"), Is.EqualTo("true"));
            Assert.That(Scalar(manifest, "features", "app_home", "messages_tab_read_only_enabled"), Is.EqualTo("false"));
        });
    }
}
