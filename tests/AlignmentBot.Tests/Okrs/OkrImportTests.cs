using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AlignmentBot.Tests.Pulses;
using AlignmentBot.Tests.Support;

namespace AlignmentBot.Tests.Okrs;

/// <summary>Importing objectives and key results through the admin API: all or nothing, every bad row named, idempotent.</summary>
public class OkrImportTests
{
    private const string Key = "okr-import-admin-key-0123456789abcdef";

    private TestDatabase _database = null!;
    private BotFactory _bot = null!;
    private HttpClient _http = null!;

    private const string Header = "objective_key,objective,team,parent_objective_key,cycle,key_result_key,key_result,owner,start,target,current,unit,confidence,cadence_days,due_on";

    // A company objective, two team objectives serving it, four key results; owners by platform id and by e-mail.
    private const string GoodCsv = Header + """

        CO-1,Win the mid-market,,,2027-Q4,,,,,,,,,,
        PL-1,Make onboarding effortless,Platform,CO-1,2027-Q4,PL-1-KR1,Activation rate,29:ana,40,60,45,%,7,7,2027-12-31
        PL-1,Make onboarding effortless,Platform,CO-1,2027-Q4,PL-1-KR2,"Time to first value, in days",ben@example.com,10,3,,days,,14,2027-12-31
        GR-1,Grow pipeline,Growth,CO-1,2027-Q4,GR-1-KR1,Qualified leads,29:ben,0,400,120,,5,7,
        GR-1,Grow pipeline,Growth,CO-1,2027-Q4,GR-1-KR2,Demo-to-close rate,29:ana,12,20,,%,,,
        """;

    [SetUp]
    public async Task StartAsync()
    {
        _database = await TestDatabase.CreateAsync();
        var seed = await new PulseSeed(_database).TenantAsync();
        var platform = await seed.TeamAsync("Platform");
        await seed.TeamAsync("Growth");
        await seed.PersonAsync(platform, "ana", "Europe/London");
        var ben = await seed.PersonAsync(platform, "ben", "America/New_York");
        await _database.ExecuteAsync($"UPDATE people SET email = 'Ben@Example.com' WHERE id = {ben}");
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

    private Task<string?> SnapshotAsync() => _database.ScalarAsync<string>("""
        SELECT (SELECT string_agg(concat_ws('|', o.xmin, o.external_key, o.title, o.team_id, p.external_key, o.cycle), ';' ORDER BY o.external_key)
                FROM objectives o LEFT JOIN objectives p ON p.id = o.parent_objective_id)
            || ' / ' ||
               (SELECT string_agg(concat_ws('|', k.xmin, k.external_key, k.title, k.owner_id, k.start_value, k.target_value, k.current_value, k.unit, k.direction,
                                            k.confidence, k.checkin_cadence_days, k.due_on), ';' ORDER BY k.external_key) FROM key_results k)
        """);

    [Test]
    public async Task A_file_over_the_row_cap_is_refused_up_front_and_nothing_is_written()
    {
        var csv = new StringBuilder(Header);
        for (var i = 0; i <= AlignmentBot.Scheduler.Okrs.Import.ImportValidator.MaxRows; i++)
        {
            csv.Append(System.Globalization.CultureInfo.InvariantCulture, $"\nPL-{i},Objective {i},Platform,,2027-Q4,,,,,,,,,,");
        }

        var (status, body) = await ImportCsvAsync(csv.ToString());

        Assert.That(status, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
        Assert.That(body.GetProperty("detail").GetString(), Does.Contain("10001 rows").And.Contain("at most 10000"));
        Assert.That(await _database.ScalarAsync<long>("SELECT (SELECT count(*) FROM objectives) + (SELECT count(*) FROM audit_log)"), Is.Zero);
    }

    [Test]
    public async Task A_csv_with_three_bad_rows_is_refused_whole_naming_the_three_lines()
    {
        var csv = Header + """

            PL-1,Make onboarding effortless,Platform,,2027-Q4,PL-1-KR1,Activation rate,29:ana,40,60,45,%,7,7,2027-12-31
            PL-1,Make onboarding effortless,Platform,,2027-Q4,PL-1-KR2,Time to first value,29:nobody,10,3,,days,,14,
            GR-1,Grow pipeline,Growth,,2027-Q4,GR-1-KR1,Qualified leads,29:ben,zero,400,,,5,7,
            GR-1,Grow pipeline,Growth,,2027-Q4,GR-1-KR2,Demo-to-close rate,29:ana,12,20,,%,11,,
            GR-1,Grow pipeline,Growth,,2027-Q4,GR-1-KR3,Win rate,29:ana,10,20,,%,,,
            """;

        var (status, body) = await ImportCsvAsync(csv);

        Assert.That(status, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
        var rows = body.GetProperty("rows").EnumerateArray().ToList();
        Assert.That(rows.Select(r => r.GetProperty("line").GetInt32()), Is.EqualTo(new[] { 3, 4, 5 }));
        Assert.That(rows[0].GetProperty("reason").GetString(), Does.Contain("owner \"29:nobody\" is not in the roster").IgnoreCase);
        Assert.That(rows[1].GetProperty("reason").GetString(), Does.Contain("start \"zero\" is not a number").IgnoreCase);
        Assert.That(rows[2].GetProperty("reason").GetString(), Does.Contain("confidence \"11\" must be a whole number from 0 to 10").IgnoreCase);
        Assert.That(await _database.ScalarAsync<long>("SELECT (SELECT count(*) FROM objectives) + (SELECT count(*) FROM key_results)"), Is.Zero, "nothing written, not even the good rows");
    }

    [Test]
    public async Task A_good_csv_imports_with_the_line_of_sight_and_importing_it_again_changes_nothing()
    {
        var (status, body) = await ImportCsvAsync(GoodCsv);

        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), body.ToString());
        Assert.That(body.GetProperty("objectivesCreated").GetInt32(), Is.EqualTo(3));
        Assert.That(body.GetProperty("keyResultsCreated").GetInt32(), Is.EqualTo(4));
        Assert.That(await _database.ScalarAsync<string>("""
            SELECT string_agg(o.external_key || '→' || coalesce(p.external_key, '-') || '@' || coalesce(t.name, 'company'), ',' ORDER BY o.external_key)
            FROM objectives o LEFT JOIN objectives p ON p.id = o.parent_objective_id LEFT JOIN teams t ON t.id = o.team_id
            """), Is.EqualTo("CO-1→-@company,GR-1→CO-1@Growth,PL-1→CO-1@Platform"));
        Assert.That(await _database.ScalarAsync<string>("""
            SELECT concat_ws('|', k.title, p.display_name, k.start_value, k.target_value, k.current_value, k.unit, k.direction, k.confidence, k.checkin_cadence_days)
            FROM key_results k JOIN people p ON p.id = k.owner_id WHERE k.external_key = 'PL-1-KR2'
            """), Is.EqualTo("Time to first value, in days|ben|10|3|10|days|decrease|14"), "quoted comma kept; owner by e-mail (any case); no current → start; direction from start/target; no confidence");

        var before = await SnapshotAsync();
        var (again, second) = await ImportCsvAsync(GoodCsv);

        Assert.That(again, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(second.GetProperty("objectivesUnchanged").GetInt32(), Is.EqualTo(3));
        Assert.That(second.GetProperty("keyResultsUnchanged").GetInt32(), Is.EqualTo(4));
        Assert.That(second.GetProperty("keyResultsCreated").GetInt32() + second.GetProperty("keyResultsUpdated").GetInt32(), Is.Zero);
        Assert.That(await SnapshotAsync(), Is.EqualTo(before), "same rows, same row versions (xmin): not even rewritten");
        Assert.That(await _database.ScalarAsync<long>("SELECT count(*) FROM audit_log WHERE action = 'okr.import'"), Is.EqualTo(1), "only the import that changed something is audited");
    }

    [Test]
    public async Task Re_importing_after_a_check_in_keeps_the_checked_in_value_and_applies_a_changed_target()
    {
        await ImportCsvAsync(GoodCsv);
        await _database.ExecuteAsync("UPDATE key_results SET current_value = 52, confidence = 8 WHERE external_key = 'PL-1-KR1'");

        var (status, body) = await ImportCsvAsync(GoodCsv.Replace("29:ana,40,60,45", "29:ana,40,65,45", StringComparison.Ordinal));

        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(body.GetProperty("keyResultsUpdated").GetInt32(), Is.EqualTo(1));
        Assert.That(await _database.ScalarAsync<string>("SELECT concat_ws('|', target_value, current_value, confidence) FROM key_results WHERE external_key = 'PL-1-KR1'"),
            Is.EqualTo("65|52|8"), "check-ins own the current value and confidence");
    }

    [Test]
    public async Task Json_imports_the_same_plan_and_bad_entries_are_named_by_their_path()
    {
        var plan = new
        {
            objectives = new object[]
            {
                new { key = "CO-1", title = "Win the mid-market", cycle = "2027-Q4" },
                new
                {
                    key = "PL-1", title = "Make onboarding effortless", team = "Platform", parent = "CO-1", cycle = "2027-Q4",
                    keyResults = new object[]
                    {
                        new { key = "PL-1-KR1", title = "Activation rate", owner = "29:ana", start = 40, target = 60, unit = "%" },
                        new { key = "PL-1-KR2", title = "Time to value", owner = "ben@example.com", start = 10, target = 10 },
                    },
                },
            },
        };
        using var refused = await _http.PostAsJsonAsync($"/admin/tenants/teams/{PulseSeed.TenantExternalId}/okrs", plan);
        var problem = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement;
        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
        Assert.That(problem.GetProperty("rows")[0].GetProperty("where").GetString(), Is.EqualTo("objectives[1].keyResults[1]"));
        Assert.That(problem.GetProperty("rows")[0].GetProperty("reason").GetString(), Does.Contain("start and target are the same").IgnoreCase);

        var fixedPlan = JsonSerializer.Serialize(plan).Replace("\"start\":10,\"target\":10", "\"start\":10,\"target\":3", StringComparison.Ordinal);
        using var content = new StringContent(fixedPlan, Encoding.UTF8, "application/json");
        using var imported = await _http.PostAsync(new Uri($"/admin/tenants/teams/{PulseSeed.TenantExternalId}/okrs", UriKind.Relative), content);
        Assert.That(imported.StatusCode, Is.EqualTo(HttpStatusCode.OK), await imported.Content.ReadAsStringAsync());
        Assert.That(await _database.ScalarAsync<long>("SELECT count(*) FROM key_results"), Is.EqualTo(2));
    }

    [TestCase("objective_key,objective\nX,Y", "missing column cycle")]
    [TestCase("objective_key,objective,cycle,colour\nX,Y,2027-Q4,red", "unknown column colour")]
    [TestCase("", "The file is empty")]
    public async Task A_csv_that_cannot_be_read_is_a_400_saying_why(string csv, string expected)
    {
        var (status, body) = await ImportCsvAsync(csv);

        Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(body.GetProperty("detail").GetString(), Does.Contain(expected));
    }

    [Test]
    public async Task Malformed_json_is_a_400_and_a_parent_loop_or_unknown_team_is_refused()
    {
        using var malformed = new StringContent("{\"objectives\": [", Encoding.UTF8, "application/json");
        using var response = await _http.PostAsync(new Uri($"/admin/tenants/teams/{PulseSeed.TenantExternalId}/okrs", UriKind.Relative), malformed);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));

        var (status, body) = await ImportCsvAsync(Header + """

            A,First,Platform,B,2027-Q4,,,,,,,,,,
            B,Second,Growth,A,2027-Q4,,,,,,,,,,
            C,Third,Nowhere,,2027-Q4,,,,,,,,,,
            """);
        Assert.That(status, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
        var reasons = string.Join("\n", body.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("reason").GetString()));
        Assert.That(reasons, Does.Contain("no team \"Nowhere\"").IgnoreCase.And.Contain("form a loop"));
    }

    [Test]
    public async Task An_unknown_tenant_is_a_404_and_without_the_key_a_401()
    {
        using var content = new StringContent(GoodCsv, Encoding.UTF8, "text/csv");
        using var unknown = await _http.PostAsync(new Uri("/admin/tenants/teams/nope/okrs", UriKind.Relative), content);
        Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));

        using var anonymous = _bot.CreateClient();
        using var again = new StringContent(GoodCsv, Encoding.UTF8, "text/csv");
        using var refused = await anonymous.PostAsync(new Uri($"/admin/tenants/teams/{PulseSeed.TenantExternalId}/okrs", UriKind.Relative), again);
        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task Rhythm_settings_default_are_validated_field_by_field_and_saved_per_tenant()
    {
        using var defaults = await _http.GetAsync(new Uri($"/admin/tenants/teams/{PulseSeed.TenantExternalId}/rhythm", UriKind.Relative));
        var body = JsonDocument.Parse(await defaults.Content.ReadAsStringAsync()).RootElement;
        Assert.That((body.GetProperty("graceDays").GetInt32(), body.GetProperty("weeklyCap").GetInt32(), body.GetProperty("workdayStart").GetString()), Is.EqualTo((1, 5, "09:00")));

        using var bad = await _http.PutAsJsonAsync($"/admin/tenants/teams/{PulseSeed.TenantExternalId}/rhythm", new { graceDays = 30, weeklyCap = 0, workdayStart = "9am", workdayEnd = "08:00" });
        var problems = JsonDocument.Parse(await bad.Content.ReadAsStringAsync()).RootElement.GetProperty("errors");
        Assert.That(bad.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(problems.EnumerateObject().Select(p => p.Name), Is.EquivalentTo(new[] { "graceDays", "weeklyCap", "workdayStart" }));

        using var good = await _http.PutAsJsonAsync($"/admin/tenants/teams/{PulseSeed.TenantExternalId}/rhythm", new { graceDays = 2, weeklyCap = 3, workdayStart = "08:00", workdayEnd = "16:00" });
        Assert.That(good.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await _database.ScalarAsync<string>("SELECT settings->'rhythm'->>'weeklyCap' || '/' || (settings->'rhythm'->>'graceDays') FROM tenants"), Is.EqualTo("3/2"));
    }
}
