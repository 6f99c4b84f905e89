using System.Text.Json.Nodes;

namespace AlignmentBot.Tests.Slack;

/// <summary>Who is where in Slack: the directory from users.list, a team from a channel the bot was added to.</summary>
public class SlackTeamsTests
{
    private SlackHarness _h = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _h = await SlackHarness.StartAsync();
        _h.Slack.Users.AddRange(Enumerable.Range(1, 230).Select(i => new JsonObject
        {
            ["id"] = $"U{i:0000}", ["name"] = $"user{i}", ["tz"] = i % 2 == 0 ? "America/Los_Angeles" : "Pacific/Kiritimati",
            ["profile"] = new JsonObject { ["real_name"] = $"Person {i}", ["email"] = $"person{i}@example.com" },
        }));
        _h.Slack.Users.Add(new JsonObject { ["id"] = "U0GONE", ["deleted"] = true, ["name"] = "gone" });
        _h.Slack.Users.Add(new JsonObject { ["id"] = "U0ROBOT", ["is_bot"] = true, ["name"] = "robot" });
        _h.Slack.Users.Add(new JsonObject { ["id"] = "USLACKBOT", ["name"] = "slackbot" });
        _h.Slack.Channels["C0TEAM"] = ["U0001", "U0002", "U0003", _h.Slack.BotUserId];
    }

    [TearDown]
    public async Task StopAsync() => await _h.DisposeAsync();

    private Task<HttpResponseMessage> BotJoinsAsync(string user, string eventId) =>
        _h.PostEventAsync(new JsonObject { ["type"] = "member_joined_channel", ["user"] = user, ["channel"] = "C0TEAM", ["channel_type"] = "C", ["team"] = _h.Slack.TeamId }, eventId);

    [Test]
    public async Task The_bot_added_to_a_channel_makes_it_a_team_with_its_members_names_and_zones()
    {
        await BotJoinsAsync(_h.Slack.BotUserId, "Ev1");
        await _h.IdleAsync();

        Assert.Multiple(async () =>
        {
            Assert.That(await _h.Database.ScalarAsync<long>("SELECT count(*) FROM people WHERE active"), Is.EqualTo(230), "everyone but bots, Slackbot and the deleted");
            Assert.That(await _h.Database.ScalarAsync<string>("SELECT time_zone FROM people WHERE platform_user_id = 'U0002'"), Is.EqualTo("America/Los_Angeles"));
            Assert.That(await _h.Database.ScalarAsync<string>("SELECT display_name FROM people WHERE platform_user_id = 'U0003'"), Is.EqualTo("Person 3"));
            Assert.That(await _h.Database.ScalarAsync<long>("SELECT count(*) FROM people WHERE platform_user_id IN ('U0GONE', 'U0ROBOT', 'USLACKBOT')"), Is.Zero);
            Assert.That(await _h.Database.ScalarAsync<long>("SELECT count(*) FROM team_members m JOIN teams t ON t.id = m.team_id WHERE t.external_id = 'C0TEAM'"), Is.EqualTo(3), "the bot is no member");
            Assert.That(await _h.Database.ScalarAsync<string>("SELECT c.conversation_id FROM teams t JOIN conversations c ON c.id = t.channel_conversation_id"), Is.EqualTo("C0TEAM"),
                "the channel is where the team's digest goes");
            Assert.That(await _h.Database.ScalarAsync<long>("SELECT count(*) FROM surveys WHERE default_for_team_id IS NOT NULL"), Is.EqualTo(1), "the default pulse, as for a Teams team");
        });
        Assert.That(_h.Slack.Calls.Count(c => c.Method == "users.list"), Is.EqualTo(2), "230 people at 200 a page");
        Assert.That(_h.Slack.Calls.Where(c => c.Method == "users.list").Select(c => (string?)c.Body["limit"]), Has.All.EqualTo("200"));
    }

    [Test]
    public async Task Someone_joining_the_channel_later_joins_the_team()
    {
        await BotJoinsAsync(_h.Slack.BotUserId, "Ev1");
        await _h.IdleAsync();
        await BotJoinsAsync("U0100", "Ev2");
        await _h.IdleAsync();

        Assert.That(await _h.Database.ScalarAsync<long>("""
            SELECT count(*) FROM team_members m JOIN people p ON p.id = m.person_id WHERE p.platform_user_id = 'U0100'
            """), Is.EqualTo(1));
    }
}
