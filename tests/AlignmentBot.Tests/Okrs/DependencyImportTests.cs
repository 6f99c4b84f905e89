using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AlignmentBot.Tests.Pulses;
using AlignmentBot.Tests.Support;

namespace AlignmentBot.Tests.Okrs;

/// <summary>Dependencies in the OKR import: across teams, all or nothing, loops and unknown keys named by line, idempotent.</summary>
public class DependencyImportTests
{
    private const string Key = "okr-import-admin-key-0123456789abcdef";
    private const string Header = "objective_key,objective,team,cycle,key_result_key,key_result,owner,start,target,depends_on,needed_by,dependency_note";

    // Growth's signups wait for Platform's SSO and Payments' checkout; Payments' checkout waits for Platform's SSO.
    private const string GoodCsv = Header + """

        PL-1,Make onboarding effortless,Platform,2027-Q4,PL-KR1,Single sign-on for every plan,29:ana,0,100,,,
        PA-1,Checkout that converts,Payments,2027-Q4,PA-KR1,One-page checkout,29:cai,0,100,PL-KR1,2027-11-30,
        GR-1,Grow pipeline,Growth,2027-Q4,GR-KR1,Self-serve signups,29:ben,0,400,PL-KR1;PA-KR1,2027-12-15,"Launch campaign needs both, see the plan"
        """;

    private TestDatabase _database = null!;
    private BotFactory _bot = null!;
    private HttpClient _http = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _database = await TestDatabase.CreateAsync();
        var seed = await new PulseSeed(_database).TenantAsync();
        await seed.PersonAsync(await seed.TeamAsync("Platform"), "ana", "Europe/London");
        await seed.PersonAsync(await seed.TeamAsync("Growth"), "ben", "America/New_York");
        await seed.PersonAsync(await seed.TeamAsync("Payments"), "cai", "Europe/London");
        _bot = new BotFactory(_database, new Dictionary<string, string?> { ["Admin:ApiKey"] = Key });
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

    private async Task<(HttpStatusCode Status, JsonElement Body)> ImportCsvAsync(string csv)
    {
        using var content = new StringContent(csv, Encoding.UTF8, "text/csv");
        using var response = await _http.PostAsync(new Uri($"/admin/tenants/teams/{PulseSeed.TenantExternalId}/okrs", UriKind.Relative), content);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    private Task<string?> DependenciesAsync() => _database.ScalarAsync<string>("""
        SELECT string_agg(concat_ws('|', w.external_key || '→' || kt.external_key, d.needed_by, d.note), '; ' ORDER BY w.external_key, kt.external_key)
        FROM key_result_dependencies d JOIN key_results w ON w.id = d.key_result_id JOIN key_results kt ON kt.id = d.depends_on_id
        """);

    private Task<string?> VersionsAsync() => _database.ScalarAsync<string>(
        "SELECT string_agg(xmin::text || ':' || id, ',' ORDER BY id) FROM key_result_dependencies");

    private static List<(int Line, string Reason)> Rows(JsonElement body) =>
        [.. body.GetProperty("rows").EnumerateArray().Select(r => (r.GetProperty("line").GetInt32(), r.GetProperty("reason").GetString()!))];

    [Test]
    public async Task Dependencies_across_teams_import_with_date_and_note_and_importing_again_writes_nothing()
    {
        var (status, body) = await ImportCsvAsync(GoodCsv);

        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), body.ToString());
        Assert.That(body.GetProperty("dependenciesChanged").GetInt32(), Is.EqualTo(3));
        Assert.That(await DependenciesAsync(), Is.EqualTo(
            "GR-KR1→PA-KR1|2027-12-15|Launch campaign needs both, see the plan; GR-KR1→PL-KR1|2027-12-15|Launch campaign needs both, see the plan; PA-KR1→PL-KR1|2027-11-30"));

        var before = await VersionsAsync();
        var (again, second) = await ImportCsvAsync(GoodCsv);

        Assert.That(again, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(second.GetProperty("dependenciesChanged").GetInt32(), Is.Zero);
        Assert.That(await VersionsAsync(), Is.EqualTo(before), "same rows, same row versions (xmin): not even rewritten");
        Assert.That(await _database.ScalarAsync<long>("SELECT count(*) FROM audit_log WHERE action = 'okr.import'"), Is.EqualTo(1));
    }

    [Test]
    public async Task A_loop_across_three_teams_is_refused_naming_each_of_its_lines_and_nothing_is_written()
    {
        var csv = GoodCsv.Replace("Single sign-on for every plan,29:ana,0,100,,,", "Single sign-on for every plan,29:ana,0,100,GR-KR1,,", StringComparison.Ordinal);

        var (status, body) = await ImportCsvAsync(csv);

        Assert.That(status, Is.EqualTo(HttpStatusCode.UnprocessableEntity), body.ToString());
        var rows = Rows(body);
        Assert.That(rows.Select(r => r.Line), Is.EqualTo(new[] { 2, 3, 4 }), "Platform's, Payments' and Growth's lines are all on a loop");
        Assert.That(rows[0].Reason, Does.Contain("make a loop: PL-KR1 → GR-KR1 → PL-KR1"));
        Assert.That(rows[1].Reason, Does.Contain("make a loop: PA-KR1 → PL-KR1 → GR-KR1 → PA-KR1"), "the three teams' key results, in order");
        Assert.That(await _database.ScalarAsync<long>("SELECT (SELECT count(*) FROM key_results) + (SELECT count(*) FROM key_result_dependencies)"), Is.Zero);
    }

    [Test]
    public async Task A_loop_through_dependencies_imported_before_is_refused_too()
    {
        Assert.That((await ImportCsvAsync(GoodCsv)).Status, Is.EqualTo(HttpStatusCode.OK));

        // Only Platform's row: the stored PA-KR1 → PL-KR1 and GR-KR1 → PL-KR1 close the loop.
        var (status, body) = await ImportCsvAsync(Header + "\nPL-1,Make onboarding effortless,Platform,2027-Q4,PL-KR1,Single sign-on for every plan,29:ana,0,100,GR-KR1,,");

        Assert.That(status, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
        Assert.That(Rows(body), Is.EqualTo(new[] { (2, "Its dependencies make a loop: PL-KR1 → GR-KR1 → PL-KR1. Key results cannot wait for each other in a circle; remove one of these dependencies.") }));
    }

    [Test]
    public async Task Unknown_keys_a_key_result_waiting_for_itself_and_a_bad_date_are_refused_with_their_lines()
    {
        var csv = Header + """

            PL-1,Make onboarding effortless,Platform,2027-Q4,PL-KR1,Single sign-on,29:ana,0,100,PL-KR1,,
            PA-1,Checkout that converts,Payments,2027-Q4,PA-KR1,One-page checkout,29:cai,0,100,PL-KR1;NOPE-7,,
            GR-1,Grow pipeline,Growth,2027-Q4,GR-KR1,Self-serve signups,29:ben,0,400,PA-KR1,soon,
            """;

        var (status, body) = await ImportCsvAsync(csv);

        Assert.That(status, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
        var rows = Rows(body);
        Assert.That(rows.Select(r => r.Line), Is.EqualTo(new[] { 2, 3, 4 }));
        Assert.That(rows[0].Reason, Does.Contain("\"PL-KR1\" cannot depend on itself"));
        Assert.That(rows[1].Reason, Does.Contain("depends on \"NOPE-7\", which is no key result").IgnoreCase);
        Assert.That(rows[2].Reason, Does.Contain("needed_by \"soon\" is not a date").IgnoreCase);
        Assert.That(await _database.ScalarAsync<long>("SELECT count(*) FROM key_results"), Is.Zero, "all or nothing");
    }

    [Test]
    public async Task An_emptied_cell_removes_a_dependency_and_a_file_without_the_column_leaves_them_alone()
    {
        await ImportCsvAsync(GoodCsv);

        var (_, without) = await ImportCsvAsync("objective_key,objective,team,cycle,key_result_key,key_result,owner,start,target\nGR-1,Grow pipeline,Growth,2027-Q4,GR-KR1,Self-serve signups,29:ben,0,400");
        Assert.That(without.GetProperty("dependenciesChanged").GetInt32(), Is.Zero, "no depends_on column: the file says nothing about dependencies");

        var (_, emptied) = await ImportCsvAsync(GoodCsv.Replace("PL-KR1;PA-KR1,2027-12-15,\"Launch campaign needs both, see the plan\"", "PA-KR1,,", StringComparison.Ordinal));
        Assert.That(emptied.GetProperty("dependenciesChanged").GetInt32(), Is.EqualTo(2), "GR-KR1 → PL-KR1 removed; GR-KR1 → PA-KR1 lost its date and note");
        Assert.That(await DependenciesAsync(), Is.EqualTo("GR-KR1→PA-KR1; PA-KR1→PL-KR1|2027-11-30"));
    }

    [Test]
    public async Task Json_depends_on_takes_keys_or_objects_and_a_loop_is_named_by_path()
    {
        object Plan(object platformDependsOn) => new
        {
            objectives = new object[]
            {
                new { key = "PL-1", title = "Onboarding", team = "Platform", cycle = "2027-Q4", keyResults = new object[] { new { key = "PL-KR1", title = "SSO", owner = "29:ana", start = 0, target = 100, dependsOn = platformDependsOn } } },
                new { key = "GR-1", title = "Pipeline", team = "Growth", cycle = "2027-Q4", keyResults = new object[] { new { key = "GR-KR1", title = "Signups", owner = "29:ben", start = 0, target = 400, dependsOn = new object[] { new { key = "PL-KR1", neededBy = "2027-12-01", note = "for the launch" } } } } },
            },
        };

        using var refused = await _http.PostAsJsonAsync($"/admin/tenants/teams/{PulseSeed.TenantExternalId}/okrs", Plan(new[] { "GR-KR1" }));
        var problem = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement;
        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
        Assert.That(problem.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("where").GetString()),
            Is.EquivalentTo(new[] { "objectives[0].keyResults[0]", "objectives[1].keyResults[0]" }));

        using var imported = await _http.PostAsJsonAsync($"/admin/tenants/teams/{PulseSeed.TenantExternalId}/okrs", Plan(Array.Empty<string>()));
        Assert.That(imported.StatusCode, Is.EqualTo(HttpStatusCode.OK), await imported.Content.ReadAsStringAsync());
        Assert.That(await DependenciesAsync(), Is.EqualTo("GR-KR1→PL-KR1|2027-12-01|for the launch"));
    }

    [Test]
    public async Task The_database_refuses_a_loop_whatever_writes_it()
    {
        await ImportCsvAsync(GoodCsv);

        var ex = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => _database.ExecuteAsync("""
            INSERT INTO key_result_dependencies (tenant_id, key_result_id, depends_on_id, created_at)
            SELECT k.tenant_id, k.id, g.id, now() FROM key_results k, key_results g WHERE k.external_key = 'PL-KR1' AND g.external_key = 'GR-KR1'
            """));
        Assert.That(ex!.SqlState, Is.EqualTo("23514"), "check_violation from the loop trigger");
    }
}
