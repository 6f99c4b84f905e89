using AlignmentBot.Bot.Slack;

namespace AlignmentBot.Tests.Slack;

/// <summary>Slack's settings checked at start-up: off when not configured, each mistake one line naming the setting.</summary>
public class SlackOptionsTests
{
    private static List<string> Failures(SlackOptions options) => new SlackOptionsValidator().Validate(null, options).Failures?.ToList() ?? [];

    [Test]
    public void Nothing_set_is_slack_off_and_valid()
    {
        var options = new SlackOptions();

        Assert.Multiple(() =>
        {
            Assert.That(options.IsEnabled, Is.False);
            Assert.That(Failures(options), Is.Empty);
        });
    }

    [Test]
    public void A_bot_token_without_a_signing_secret_names_the_signing_secret()
    {
        Assert.That(Failures(new SlackOptions { BotToken = "xoxb-1" }), Has.One.StartsWith("Slack:SigningSecret is not set"));
    }

    [Test]
    public void Each_mistake_is_one_line_naming_its_setting()
    {
        var failures = Failures(new SlackOptions
        {
            SigningSecret = "0123456789abcdef0123456789abcdef",
            BotToken = "xoxp-user-token",
            ClientId = "1111.2222",
            ApiBaseUrl = "not an address",
            TimestampTolerance = TimeSpan.FromMinutes(10),
        });

        Assert.That(failures.Select(f => f.Split(' ')[0]), Is.EquivalentTo(new[]
        {
            "Slack:BotToken", "Slack:ClientSecret", "Slack:ApiBaseUrl", "Slack:TimestampTolerance",
        }));
    }

    [Test]
    public void A_signing_secret_with_a_bot_token_is_single_workspace_mode()
    {
        Assert.That(Failures(new SlackOptions { SigningSecret = "0123456789abcdef0123456789abcdef", BotToken = "xoxb-1-2-abc" }), Is.Empty);
    }
}
