using AlignmentBot.Tests.Support;

namespace AlignmentBot.Tests.Storage;

public class MigrationTests
{
    private static readonly string[] FirstCutTables =
    [
        "tenants", "people", "teams", "team_members", "conversations", "objectives", "key_results",
        "checkins", "surveys", "survey_questions", "survey_runs", "invitations", "responses",
        "deliveries", "audit_log",
    ];

    private static readonly string[] MigrationFiles =
        Directory.GetFiles(Path.Combine(RepositoryPaths.Root, "storage", "migrations"), "*.sql")
            .Select(path => Path.GetFileName(path)).Order(StringComparer.Ordinal).ToArray();

    [Test]
    public async Task Migrations_apply_to_an_empty_database_and_a_second_run_applies_nothing()
    {
        await using var database = await TestDatabase.CreateAsync(migrated: false);

        var first = await database.MigrateAsync();
        Assert.That(first, Is.EqualTo(MigrationFiles), "every script in storage/migrations runs, in file-name order");

        foreach (var table in FirstCutTables.Append("qrtz_triggers"))
        {
            Assert.That(await database.ScalarAsync<bool>($"SELECT to_regclass('public.{table}') IS NOT NULL"), Is.True, table);
        }

        var second = await database.MigrateAsync();
        Assert.That(second, Is.Empty, "the journal remembers what ran");
        Assert.That(await database.ScalarAsync<long>("SELECT count(*) FROM schemaversions"), Is.EqualTo(MigrationFiles.Length));
    }

    [Test]
    public async Task Two_instances_starting_together_apply_each_script_once()
    {
        await using var database = await TestDatabase.CreateAsync(migrated: false);

        var results = await Task.WhenAll(database.MigrateAsync(), database.MigrateAsync());

        Assert.That(results.SelectMany(applied => applied), Is.EquivalentTo(MigrationFiles),
            "the advisory lock makes the second instance wait and then find nothing to do");
    }

    [Test]
    public void Migration_files_are_numbered_without_gaps_or_duplicates()
    {
        var numbers = MigrationFiles.Select(file => int.Parse(file[..4], System.Globalization.CultureInfo.InvariantCulture)).ToList();

        Assert.That(numbers, Is.EqualTo(Enumerable.Range(1, numbers.Count)));
        Assert.That(MigrationFiles, Has.All.Match("^[0-9]{4}_[a-z0-9_]+\\.sql$"));
    }
}
