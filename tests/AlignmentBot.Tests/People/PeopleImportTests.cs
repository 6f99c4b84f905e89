using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AlignmentBot.Scheduler.People;
using AlignmentBot.Tests.Pulses;
using AlignmentBot.Tests.Support;

namespace AlignmentBot.Tests.People;

/// <summary>The organisation's people file through the admin API: all or nothing, precedence, and the read-back.</summary>
public class PeopleImportTests
{
    private const string Key = "test-admin-key-0123456789abcdef";
    private const string Url = $"/admin/tenants/teams/{PulseSeed.TenantExternalId}/people";

    private TestDatabase _database = null!;
    private BotFactory _bot = null!;
    private HttpClient _http = null!;
    private PulseSeed _seed = null!;
    private readonly Dictionary<string, long> _people = [];

    [SetUp]
    public async Task StartAsync()
    {
        _database = await TestDatabase.CreateAsync();
        _seed = await new PulseSeed(_database).TenantAsync("Europe/London");
        var platform = await _seed.TeamAsync("Platform");
        await _seed.TeamAsync("Sales");
        foreach (var name in new[] { "ana", "ben", "cem", "dia", "eve" })
        {
            _people[name] = await _seed.PersonAsync(platform, name, null);
            await _database.ExecuteAsync($"UPDATE people SET email = '{name}@example.com' WHERE id = {_people[name]}");
        }

        _bot = new BotFactory(_database, new Dictionary<string, string?> { ["Admin:ApiKey"] = Key, ["People:MaxImportRows"] = "20" });
        _http = _bot.CreateClient();
        _http.DefaultRequestHeaders.Add("X-Api-Key", Key);
    }

    [TearDown]
    public async Task StopAsync()
    {
        _http.Dispose();
        await _bot.DisposeAsync();
        await _database.DisposeAsync();
    }

    private Task<HttpResponseMessage> PostCsvAsync(string csv) => _http.PostAsync(new Uri(Url, UriKind.Relative), new StringContent(csv, Encoding.UTF8, "text/csv"));

    /// <summary>Transaction ids of every row the import could write: equal before and after means nothing was written.</summary>
    private Task<string?> RowVersionsAsync() => _database.ScalarAsync<string>("""
        SELECT (SELECT coalesce(string_agg(xmin::text, ',' ORDER BY id), '') FROM people) || '|' ||
               (SELECT coalesce(string_agg(xmin::text, ',' ORDER BY person_id, field, source), '') FROM person_facts) || '|' ||
               (SELECT coalesce(string_agg(xmin::text, ',' ORDER BY team_id, person_id), '') FROM team_members) || '|' ||
               (SELECT count(*) FROM audit_log)
        """);

    private const string GoodFile = """
        person,manager,time_zone,teams,leader,active,opted_out
        ana@example.com,cem@example.com,Asia/Tokyo,Platform,,,
        ben@example.com,cem@example.com,W. Europe Standard Time,Platform;Sales,,,
        cem@example.com,dia@example.com,,Platform:manager;Sales:manager,,,
        dia@example.com,,Europe/London,,yes,,
        eve@example.com,,,,,no,yes
        nobody@example.com,,,,,,
        """;

    [Test]
    public async Task A_file_with_an_unknown_manager_a_loop_a_bad_zone_and_an_unknown_team_is_refused_naming_each_line_and_writes_nothing()
    {
        var rows = await AppRows.CountAsync(_database);
        var versions = await RowVersionsAsync();

        using var response = await PostCsvAsync("""
            person,manager,time_zone,teams
            ana@example.com,zed@example.com,,
            ben@example.com,cem@example.com,,
            cem@example.com,ben@example.com,,
            dia@example.com,,Mars/Olympus,
            eve@example.com,,,Platform:manager;Marketing
            ana@example.com,,,
            """);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var reasons = problem.RootElement.GetProperty("rows").EnumerateArray()
            .Select(r => $"{r.GetProperty("line").GetInt32()}: {r.GetProperty("reason").GetString()}").ToList();
        Assert.That(reasons, Has.Some.Match("(?i)^2: .*manager \"zed@example.com\" is not known"));
        Assert.That(reasons, Has.Some.Match("^3: .*loop"));
        Assert.That(reasons, Has.Some.Match("^4: .*loop"));
        Assert.That(reasons, Has.Some.Match("^5: .*\"Mars/Olympus\" is not a time zone"));
        Assert.That(reasons, Has.Some.Match("(?i)^6: .*team \"Marketing\" is not known"));
        Assert.That(reasons, Has.Some.Match("^7: .*already on line 2"));
        Assert.That(reasons, Has.Count.EqualTo(6), string.Join("\n", reasons));
        Assert.That(await AppRows.CountAsync(_database), Is.EqualTo(rows));
        Assert.That(await RowVersionsAsync(), Is.EqualTo(versions), "not one row was rewritten either");
    }

    [Test]
    public async Task The_file_sets_managers_zones_roles_leaders_and_opt_outs_and_the_same_file_again_writes_nothing()
    {
        using var first = await PostCsvAsync(GoodFile);
        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK), await first.Content.ReadAsStringAsync());
        using var outcome = JsonDocument.Parse(await first.Content.ReadAsStringAsync());
        Assert.That(outcome.RootElement.GetProperty("notYetKnownLines").EnumerateArray().Select(l => l.GetInt32()), Is.EqualTo(new[] { 7 }),
            "a person the bot has not met yet is reported, not refused");

        Assert.That(await _database.ScalarAsync<string>("""
            SELECT string_agg(p.display_name || '>' || coalesce(m.display_name, '-') || ' ' || coalesce(p.time_zone, '-') || ' ' || p.leader || ' ' || p.active || ' ' || p.opted_out_of_pulses, '; ' ORDER BY p.id)
            FROM people p LEFT JOIN people m ON m.id = p.manager_id
            """), Is.EqualTo("ana>cem Asia/Tokyo false true false; ben>cem Europe/Berlin false true false; cem>dia - false true false; dia>- Europe/London true true false; eve>- - false false true"));
        Assert.That(await _database.ScalarAsync<string>("""
            SELECT string_agg(t.name || ':' || p.display_name, ',' ORDER BY t.name, p.display_name) FROM team_managers m JOIN teams t ON t.id = m.team_id JOIN people p ON p.id = m.person_id
            """), Is.EqualTo("Platform:cem,Sales:cem"));
        Assert.That(await _database.ScalarAsync<long>("SELECT count(*) FROM team_members tm JOIN teams t ON t.id = tm.team_id WHERE t.name = 'Sales'"), Is.EqualTo(2));

        var versions = await RowVersionsAsync();
        using var again = await PostCsvAsync(GoodFile);
        using var second = JsonDocument.Parse(await again.Content.ReadAsStringAsync());
        Assert.That((second.RootElement.GetProperty("peopleChanged").GetInt32(), second.RootElement.GetProperty("membershipsChanged").GetInt32()), Is.EqualTo((0, 0)));
        Assert.That(await RowVersionsAsync(), Is.EqualTo(versions), "the same file again writes nothing");
    }

    [Test]
    public async Task The_file_beats_graph_and_the_platform_and_a_persons_own_choice_beats_the_file()
    {
        var ana = _people["ana"];
        await using (var dataSource = _database.CreateDataSource())
        await using (var connection = await dataSource.OpenConnectionAsync())
        {
            await PersonFacts.WriteAsync(connection, null, [
                new PersonFact(ana, PersonFacts.TimeZone, PersonFacts.Platform, "America/New_York"),
                new PersonFact(ana, PersonFacts.TimeZone, PersonFacts.Graph, "Asia/Tokyo"),
            ], DateTimeOffset.UnixEpoch, CancellationToken.None);
            Assert.That(await _database.ScalarAsync<string>($"SELECT time_zone FROM people WHERE id = {ana}"), Is.EqualTo("Asia/Tokyo"), "Graph beats the platform");

            using var file = await PostCsvAsync("person,time_zone\nana@example.com,Europe/Berlin\n");
            Assert.That(await _database.ScalarAsync<string>($"SELECT time_zone FROM people WHERE id = {ana}"), Is.EqualTo("Europe/Berlin"), "the file beats Graph");

            await PersonFacts.WriteAsync(connection, null, [new PersonFact(ana, PersonFacts.TimeZone, PersonFacts.Self, "Europe/Lisbon")], DateTimeOffset.UnixEpoch, CancellationToken.None);
            using var fileAgain = await PostCsvAsync("person,time_zone\nana@example.com,Asia/Singapore\n");
            Assert.That(await _database.ScalarAsync<string>($"SELECT time_zone FROM people WHERE id = {ana}"), Is.EqualTo("Europe/Lisbon"), "the person's own choice beats the file");
        }

        using var page = JsonDocument.Parse(await _http.GetStringAsync($"{Url}?limit=1"));
        var person = page.RootElement.GetProperty("people")[0];
        Assert.That(person.GetProperty("sources").GetProperty("time_zone").GetString(), Is.EqualTo("self"));
        Assert.That(page.RootElement.GetProperty("next").GetString(), Does.Contain($"after={ana}"));
    }

    [Test]
    public async Task Unreadable_files_are_a_400_and_too_many_rows_are_refused_before_anything_is_read()
    {
        using var malformed = await _http.PostAsync(new Uri(Url, UriKind.Relative), new StringContent("{\"people\": [", Encoding.UTF8, "application/json"));
        Assert.That(malformed.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        using var noPerson = await PostCsvAsync("email,manager\nana@example.com,\n");
        Assert.That(noPerson.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        using var tooMany = await PostCsvAsync("person\n" + string.Concat(Enumerable.Range(0, 21).Select(i => $"p{i}@example.com\n")));
        Assert.That(tooMany.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await tooMany.Content.ReadAsStringAsync(), Does.Contain("at most 20"));
    }

    [Test]
    public async Task Json_files_leaders_and_a_teams_managers_are_set_and_read_back()
    {
        using var json = await _http.PostAsJsonAsync(Url, new
        {
            people = new object[]
            {
                new { person = "ana@example.com", timeZone = "Tokyo Standard Time", teams = new[] { new { team = "Sales", role = "member" } } },
                new { person = "29:ben", manager = "ana@example.com", optedOut = true },
            },
        });
        Assert.That(json.StatusCode, Is.EqualTo(HttpStatusCode.OK), await json.Content.ReadAsStringAsync());
        Assert.That(await _database.ScalarAsync<string>($"SELECT time_zone FROM people WHERE id = {_people["ana"]}"), Is.EqualTo("Asia/Tokyo"), "a Windows zone name becomes IANA");

        using var leaders = await _http.PutAsJsonAsync($"/admin/tenants/teams/{PulseSeed.TenantExternalId}/leaders", new { leaders = new[] { "dia@example.com" } });
        Assert.That(leaders.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        using var managers = await _http.PutAsJsonAsync($"/admin/tenants/teams/{PulseSeed.TenantExternalId}/teams/Sales/managers", new { managers = new[] { "ben@example.com", "29:cem" } });
        Assert.That(managers.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        using var unknown = await _http.PutAsJsonAsync($"/admin/tenants/teams/{PulseSeed.TenantExternalId}/leaders", new { leaders = new[] { "zed@example.com" } });
        Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));

        using var teams = JsonDocument.Parse(await _http.GetStringAsync($"/admin/tenants/teams/{PulseSeed.TenantExternalId}/teams"));
        var sales = teams.RootElement.GetProperty("teams").EnumerateArray().Single(t => t.GetProperty("name").GetString() == "Sales");
        Assert.That(sales.GetProperty("members").GetInt32(), Is.EqualTo(3), "ana by the file, ben and cem as its managers");
        Assert.That(sales.GetProperty("managers").EnumerateArray().Select(m => m.GetString()), Is.EqualTo(new[] { "ben (29:ben)", "cem (29:cem)" }));

        using var salesManagers = JsonDocument.Parse(await _http.GetStringAsync($"{Url}?team=Sales&role=manager"));
        Assert.That(salesManagers.RootElement.GetProperty("people").EnumerateArray().Select(p => p.GetProperty("platformUserId").GetString()), Is.EqualTo(new[] { "29:ben", "29:cem" }));
        using var leaderList = JsonDocument.Parse(await _http.GetStringAsync($"{Url}?role=leader"));
        Assert.That(leaderList.RootElement.GetProperty("people").EnumerateArray().Select(p => p.GetProperty("platformUserId").GetString()), Is.EqualTo(new[] { "29:dia" }));
    }

    [Test]
    public async Task An_import_is_one_audit_row_naming_the_key_the_route_and_the_counts_and_a_repeat_is_none()
    {
        using (var first = await PostCsvAsync(GoodFile))
        {
            Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK), await first.Content.ReadAsStringAsync());
        }

        using (var again = await PostCsvAsync(GoodFile))
        {
            Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        using (var change = await PostCsvAsync("person,time_zone\nana@example.com,Europe/Paris\n"))
        {
            Assert.That(change.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        var rows = (await _database.ScalarAsync<string>("""
            SELECT string_agg(actor || ' ' || action || ' ' || (t.id IS NOT NULL)::text || ' ' || (details->>'status') || ' '
                              || (details->'outcome'->>'rows') || ' ' || (details->'outcome'->>'peopleChanged') || ' ' || (details->'outcome'->>'membershipsChanged'), ';' ORDER BY a.id)
            FROM audit_log a LEFT JOIN tenants t ON t.id = a.tenant_id
            """))!.Split(';');
        using (Assert.EnterMultipleScope())
        {
            Assert.That(rows, Has.Length.EqualTo(2), "one row for each import that changed something; none for the same file again");
            Assert.That(rows[0], Does.Match(@"^global key POST /admin/tenants/\{platform\}/\{tenant\}/people true 200 6 [1-9]\d* [1-9]\d*$"), "the key's name, the route, the tenant, the counts");
            Assert.That(rows[1], Does.Match(@" true 200 1 1 0$"));
            Assert.That(rows, Has.None.StartWith("admin-api "), "the importer writes no row of its own");
        }
    }
}
