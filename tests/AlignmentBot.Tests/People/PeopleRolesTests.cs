using AlignmentBot.Scheduler.Delivery;
using AlignmentBot.Scheduler.Digests;
using AlignmentBot.Scheduler.Nudges;
using AlignmentBot.Scheduler.People;
using AlignmentBot.Tests.Okrs;
using AlignmentBot.Tests.Pulses;
using AlignmentBot.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace AlignmentBot.Tests.People;

/// <summary>One rule for "manager of a team" and "leader": every feature that asks gets the same answer.</summary>
public class PeopleRolesTests
{
    private TestDatabase _database = null!;
    private NpgsqlDataSource _dataSource = null!;
    private PulseSeed _seed = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _database = await TestDatabase.CreateAsync();
        _dataSource = _database.CreateDataSource();
        _seed = await new PulseSeed(_database).TenantAsync("Europe/London");
    }

    [TearDown]
    public async Task StopAsync()
    {
        await _dataSource.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Test]
    public async Task The_named_manager_a_member_with_the_manager_role_and_a_leader_read_what_the_rule_says_and_no_one_else()
    {
        var platform = await _seed.TeamAsync("Platform");
        var sales = await _seed.TeamAsync("Sales");
        var named = await _seed.PersonAsync(platform, "named", null);
        var byRole = await _seed.PersonAsync(sales, "byrole", null);
        var member = await _seed.PersonAsync(sales, "member", null);
        var leader = await _seed.PersonAsync(sales, "leader", null);
        var gone = await _seed.PersonAsync(platform, "gone", null, active: false);
        await _database.ExecuteAsync($"UPDATE teams SET manager_id = {named} WHERE id = {platform}");
        await _database.ExecuteAsync($"UPDATE team_members SET role = 'manager' WHERE person_id IN ({byRole}, {gone})");
        await _database.ExecuteAsync($"UPDATE people SET leader = true WHERE id IN ({leader}, {gone})");
        var roles = new PeopleRoles(_dataSource);

        async Task<string> ReadsAsync(long person)
        {
            var readable = await roles.ReadableAsync(_seed.TenantId, person, CancellationToken.None);
            return $"{(readable.Leader ? "leader" : "-")}: {string.Join(",", readable.Teams.Select(t => t.Name + (t.Manages ? "*" : "")))}";
        }

        Assert.That(await ReadsAsync(named), Is.EqualTo("-: Platform*"), "teams.manager_id");
        Assert.That(await ReadsAsync(byRole), Is.EqualTo("-: Sales*"), "team_members.role = 'manager' counts the same");
        Assert.That(await ReadsAsync(member), Is.EqualTo("-: "));
        Assert.That(await ReadsAsync(leader), Is.EqualTo("leader: Platform,Sales"), "a leader reads every team without managing it");
        Assert.That(await ReadsAsync(gone), Is.EqualTo("-: "), "an inactive person is neither manager nor leader");
    }

    [Test]
    public async Task A_team_nobody_named_a_manager_for_is_managed_by_whom_most_of_its_members_report_to_until_someone_is_named()
    {
        var platform = await _seed.TeamAsync("Platform");
        var mia = await _seed.PersonAsync(platform, "mia", null);
        var ana = await _seed.PersonAsync(platform, "ana", null);
        var ben = await _seed.PersonAsync(platform, "ben", null);
        var cai = await _seed.PersonAsync(platform, "cai", null);
        var olu = await _seed.PersonAsync(await _seed.TeamAsync("Sales"), "olu", null);
        await _database.ExecuteAsync($"UPDATE people SET manager_id = {mia} WHERE id IN ({ana}, {ben}); UPDATE people SET manager_id = {olu} WHERE id = {cai}");
        var roles = new PeopleRoles(_dataSource);
        async Task<string> ManagesAsync(long person) =>
            string.Join(",", (await roles.ReadableAsync(_seed.TenantId, person, CancellationToken.None)).Teams.Where(t => t.Manages).Select(t => t.Name));

        Assert.That(await ManagesAsync(mia), Is.EqualTo("Platform"), "two of the three others report to mia");
        Assert.That(await ManagesAsync(olu), Is.Empty, "one of four is no majority");

        await _database.ExecuteAsync($"UPDATE people SET manager_id = {olu} WHERE id = {ben}");
        Assert.That(await ManagesAsync(mia), Is.Empty, "one of three is no majority either");

        await _database.ExecuteAsync($"UPDATE people SET manager_id = {mia} WHERE id = {ben}; UPDATE team_members SET role = 'manager' WHERE person_id = {cai}");
        Assert.That(await ManagesAsync(mia), Is.Empty, "a named manager wins over the reporting lines");
        Assert.That(await ManagesAsync(cai), Is.EqualTo("Platform"));

        await _database.ExecuteAsync($"UPDATE people SET active = false WHERE id = {cai}");
        Assert.That(await ManagesAsync(mia), Is.EqualTo("Platform"), "only while the named one is active");
    }

    [Test]
    public async Task A_member_whose_role_is_manager_gets_step_three_of_the_ladder_and_an_inactive_one_falls_back_to_the_owners_manager()
    {
        var team = await _seed.TeamAsync("Platform");
        var owner = await _seed.PersonAsync(team, "ana", "Europe/London");
        var teamManager = await _seed.PersonAsync(team, "mia", "Europe/London");
        var ownersManager = await _seed.PersonAsync(team, "olu", "Europe/London");
        await _database.ExecuteAsync($"UPDATE team_members SET role = 'manager' WHERE person_id = {teamManager}");
        await _database.ExecuteAsync($"UPDATE people SET manager_id = {ownersManager} WHERE id = {owner}");
        var okrs = new OkrSeed(_database, _seed);
        var objective = await okrs.ObjectiveAsync(team, "Make onboarding effortless");
        // Set up Mon 25 Oct 2027: overdue after a week and a day, then reminders on working days, then the manager.
        await okrs.KeyResultAsync(objective, owner, "first", new DateTimeOffset(2027, 10, 25, 0, 0, 0, TimeSpan.Zero));
        var planner = new NudgePlanner(_dataSource, new Outbox(_dataSource, new FakeTimeProvider()));

        for (var day = 1; day <= 12; day++)
        {
            await planner.PlanAsync(new DateTimeOffset(2027, 11, day, 10, 0, 0, TimeSpan.Zero), CancellationToken.None);
        }

        Assert.That(await _database.ScalarAsync<string>($"SELECT string_agg(person_id::text, ',') FROM deliveries WHERE kind = '{NudgePlanner.ManagerKind}'"),
            Is.EqualTo(teamManager.ToString(System.Globalization.CultureInfo.InvariantCulture)), "the manager by role is told, not the owner's own manager");

        // A second episode with the team's manager gone inactive: the owner's own manager hears instead.
        await _database.ExecuteAsync($"UPDATE people SET active = false WHERE id = {teamManager}");
        await okrs.KeyResultAsync(objective, owner, "second", new DateTimeOffset(2027, 11, 15, 0, 0, 0, TimeSpan.Zero));
        for (var day = 23; day <= 30; day++)
        {
            await planner.PlanAsync(new DateTimeOffset(2027, 11, day, 10, 0, 0, TimeSpan.Zero), CancellationToken.None);
        }

        Assert.That(await _database.ScalarAsync<long>($"SELECT count(*) FROM deliveries WHERE kind = '{NudgePlanner.ManagerKind}' AND person_id = {ownersManager}"), Is.EqualTo(1));
    }

    [Test]
    public async Task The_roll_up_goes_to_active_leaders_only()
    {
        var team = await _seed.TeamAsync("Platform");
        var leader = await _seed.PersonAsync(team, "lea", null);
        var former = await _seed.PersonAsync(team, "old", null, active: false);
        await _seed.PersonAsync(team, "ana", null);
        await _database.ExecuteAsync($"UPDATE people SET leader = true WHERE id IN ({leader}, {former})");
        var scheduler = new DigestScheduler(_dataSource, new Outbox(_dataSource, new FakeTimeProvider()));

        // Monday 30 November 2026 10:00 London: after the default Monday 09:00.
        await scheduler.EnqueueDueAsync(new DateTimeOffset(2026, 11, 30, 10, 0, 0, TimeSpan.Zero), CancellationToken.None);

        Assert.That(await _database.ScalarAsync<string>($"SELECT string_agg(person_id::text, ',') FROM deliveries WHERE kind = '{DigestScheduler.RollupKind}'"),
            Is.EqualTo(leader.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }
}
