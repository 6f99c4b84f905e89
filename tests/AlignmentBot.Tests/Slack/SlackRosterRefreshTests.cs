using System.Text.Json.Nodes;
using AlignmentBot.Bot.People;
using AlignmentBot.Tests.Teams.Connector;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AlignmentBot.Tests.Slack;

/// <summary>
/// The periodic roster refresh reads Slack workspaces through the same seam as Teams tenants: the directory
/// (users.list, every page, its rate limit waited out on the bot's clock) and each team channel's members, so joiners
/// and leavers no event announced are caught, and a leaver is retired by the same 14-day rule.
/// </summary>
public class SlackRosterRefreshTests
{
    private SlackHarness _h = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _h = await SlackHarness.StartAsync();
        foreach (var (id, zone) in new[] { ("U0ANA", "Europe/London"), ("U0BEN", "America/New_York"), ("U0CEM", "Asia/Tokyo") })
        {
            _h.Slack.Users.Add(User(id, zone));
        }

        _h.Slack.Channels["C0TEAM"] = ["U0ANA", "U0BEN", "U0CEM", _h.Slack.BotUserId];
        using var joined = await _h.PostEventAsync(new JsonObject
        {
            ["type"] = "member_joined_channel", ["user"] = _h.Slack.BotUserId, ["channel"] = "C0TEAM", ["channel_type"] = "C", ["team"] = _h.Slack.TeamId,
        }, "EvJoin");
        await _h.IdleAsync();
        Assert.That(await MembersAsync(), Is.EqualTo("U0ANA U0BEN U0CEM"), "the team as the bot joined it");
    }

    [TearDown]
    public async Task StopAsync() => await _h.DisposeAsync();

    private static JsonObject User(string id, string zone) =>
        new() { ["id"] = id, ["name"] = id.ToLowerInvariant(), ["tz"] = zone, ["profile"] = new JsonObject { ["real_name"] = id } };

    private Task<string?> MembersAsync() => _h.Database.ScalarAsync<string>("""
        SELECT string_agg(p.platform_user_id, ' ' ORDER BY p.platform_user_id)
        FROM team_members m JOIN people p ON p.id = m.person_id JOIN teams t ON t.id = m.team_id WHERE t.external_id = 'C0TEAM'
        """);

    private Task<string?> InactiveAsync() => _h.Database.ScalarAsync<string>("SELECT string_agg(platform_user_id, ' ' ORDER BY platform_user_id) FROM people WHERE NOT active");

    private RosterRefresh Refresh => _h.Bot.Services.GetRequiredService<RosterRefresh>();

    [Test]
    public async Task A_joiner_no_event_announced_is_added_and_leavers_are_retired_after_fourteen_days_not_before()
    {
        // Nobody announced it: ben's account was deactivated (Slack still lists him in the channel), cem left the
        // channel but not the workspace, dan joined both.
        _h.Slack.Users.Single(u => (string?)u["id"] == "U0BEN")["deleted"] = true;
        _h.Slack.Users.Add(User("U0DAN", "Australia/Sydney"));
        _h.Slack.Channels["C0TEAM"] = ["U0ANA", "U0BEN", "U0DAN", _h.Slack.BotUserId];

        Assert.That((await Refresh.RefreshAsync(CancellationToken.None)).Rosters, Is.EqualTo(1));
        Assert.Multiple(async () =>
        {
            Assert.That(await MembersAsync(), Is.EqualTo("U0ANA U0DAN"), "the joiner is in the team; the deactivated and the one who left are not; the bot never is");
            Assert.That(await _h.Database.ScalarAsync<string>("SELECT time_zone FROM people WHERE platform_user_id = 'U0DAN'"), Is.EqualTo("Australia/Sydney"), "the joiner's zone from users.list");
            Assert.That(await InactiveAsync(), Is.Null, "a leaver is not retired at once");
        });

        _h.Clock.Advance(TimeSpan.FromDays(13));
        await Refresh.RefreshAsync(CancellationToken.None);
        Assert.That(await InactiveAsync(), Is.Null, "13 days in no team");

        _h.Clock.Advance(TimeSpan.FromDays(1));
        Assert.That((await Refresh.RefreshAsync(CancellationToken.None)).Retired, Is.EqualTo(2));
        Assert.That(await InactiveAsync(), Is.EqualTo("U0BEN U0CEM"), "14 days in no team: retired, as on Teams");

        // cem is added to the channel again: active again at the next refresh, and users.list repeating itself retires nobody.
        _h.Slack.Channels["C0TEAM"] = ["U0ANA", "U0CEM", "U0DAN", _h.Slack.BotUserId];
        await Refresh.RefreshAsync(CancellationToken.None);
        Assert.That(await InactiveAsync(), Is.EqualTo("U0BEN"));
    }

    [Test]
    public async Task Every_page_is_read_and_a_429_on_users_list_is_waited_out_for_its_Retry_After_on_the_bots_clock()
    {
        _h.Slack.Users.AddRange(Enumerable.Range(1, 450).Select(i => User($"U{i:0000}", "Europe/Berlin")));
        _h.Slack.Channels["C0TEAM"] = [.. Enumerable.Range(1, 250).Select(i => $"U{i:0000}"), _h.Slack.BotUserId];
        _h.Clock.Advance(TimeSpan.FromMinutes(2)); // the join's own reads leave the minute
        _h.Slack.Limits.PerMinute["users.list"] = 2; // 453 people at 200 a page is 3 pages: the third is refused
        var before = _h.Slack.Calls.Count;

        var refresh = Refresh.RefreshAsync(CancellationToken.None);
        for (var step = 0; !refresh.IsCompleted; step++)
        {
            Assert.That(step, Is.LessThan(600), "the refresh finished within 10 minutes of fake time");
            _h.Clock.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(5);
        }

        var (rosters, _) = await refresh;
        var lists = _h.Slack.Calls.Skip(before).Where(c => c.Method == "users.list").ToList();
        Assert.Multiple(async () =>
        {
            Assert.That(rosters, Is.EqualTo(1));
            Assert.That(_h.Slack.Limits.Throttled, Is.EqualTo(1), "one 429: a retry inside the minute would have been another");
            Assert.That(lists.Select(c => (string?)c.Body["cursor"] is { } cursor ? "next" : "first"), Is.EqualTo(new[] { "first", "next", "next", "next" }),
                "three pages, the refused one asked again");
            Assert.That((string?)lists[3].Body["cursor"], Is.EqualTo((string?)lists[2].Body["cursor"]), "the same page again");
            // The fake's Retry-After is when the first call leaves the minute (the clock moves while the pages are read).
            Assert.That(lists[3].At, Is.GreaterThanOrEqualTo(lists[0].At + TimeSpan.FromMinutes(1)), "not before its Retry-After");
            Assert.That(await _h.Database.ScalarAsync<long>("SELECT count(*) FROM people WHERE time_zone = 'Europe/Berlin'"), Is.EqualTo(450), "every page stored");
            Assert.That(await _h.Database.ScalarAsync<long>("SELECT count(*) FROM team_members"), Is.EqualTo(250), "both pages of the channel's members");
            Assert.That(_h.Slack.Calls.Skip(before).Count(c => c.Method == "conversations.members"), Is.EqualTo(2));
        });
    }

    [Test]
    public async Task A_workspace_whose_token_was_revoked_is_skipped_with_one_clear_line_and_its_teams_keep_their_members()
    {
        var logs = new LogCapture();
        await using var bot = _h.Bot.WithWebHostBuilder(b => b.ConfigureLogging(l => l.AddProvider(logs).AddFilter<LogCapture>(null, LogLevel.Trace)));
        _h.Slack.RevokedTokens.Add(_h.Slack.BotToken); // the tokens_revoked event never arrived
        _h.Slack.Channels["C0TEAM"] = [_h.Slack.BotUserId];

        var (rosters, _) = await bot.Services.GetRequiredService<RosterRefresh>().RefreshAsync(CancellationToken.None);

        var lines = logs.Entries.Where(e => e.Category == typeof(RosterRefresh).FullName).Select(e => e.Message).ToList();
        Assert.Multiple(async () =>
        {
            Assert.That(rosters, Is.Zero);
            Assert.That(lines.Count(l => l.Contains("skipped", StringComparison.Ordinal) && l.Contains("token_revoked", StringComparison.Ordinal) && l.Contains("(slack)", StringComparison.Ordinal)),
                Is.EqualTo(1), string.Join('\n', lines));
            Assert.That(await MembersAsync(), Is.EqualTo("U0ANA U0BEN U0CEM"), "a roster that cannot be read changes nothing");
            Assert.That(_h.Slack.Calls.Count(c => c.Method == "users.list"), Is.EqualTo(1), "only the join's: the refused token stops at auth.test");
            Assert.That(logs.Entries.Count(e => e.Message.Contains(_h.Slack.BotToken, StringComparison.Ordinal) || e.Message.Contains("xoxb", StringComparison.Ordinal)),
                Is.Zero, "never the token");
        });
    }
}
