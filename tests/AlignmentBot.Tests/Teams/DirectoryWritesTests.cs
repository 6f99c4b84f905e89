using System.Net;
using System.Net.Http.Json;
using Npgsql;
using AlignmentBot.Bot.Directory;
using AlignmentBot.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using AlignmentBot.Tests.Teams.Fakes;

namespace AlignmentBot.Tests.Teams;

/// <summary>
/// Every activity names its tenant, sender and conversation; the bot writes them only when they changed.
/// Row versions (xmin) show whether a row was touched at all.
/// </summary>
public class DirectoryWritesTests
{
    private const string Tenant = "tenant-directory";

    private TestDatabase _database = null!;
    private FakeBotConnector _connector = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _database = await TestDatabase.CreateAsync();
        _connector = await FakeBotConnector.StartAsync();
    }

    [TearDown]
    public async Task StopAsync()
    {
        await _connector.DisposeAsync();
        await _database.DisposeAsync();
    }

    /// <summary>A membership update that adds and removes no one: processed before its 200, it only names who and where.</summary>
    private static object Update(string name, string serviceUrl) => new
    {
        type = "conversationUpdate",
        id = Guid.NewGuid().ToString(),
        channelId = "msteams",
        serviceUrl,
        from = new { id = "29:ada", name, aadObjectId = "aad-ada" },
        conversation = new { id = "a:chat-ada", conversationType = "personal", tenantId = Tenant },
        recipient = new { id = "28:bot", name = "AlignmentBot" },
        channelData = new { tenant = new { id = Tenant } },
    };

    private static async Task SendAsync(BotFactory bot, object activity)
    {
        using var client = bot.CreateClient();
        using var response = await client.PostAsJsonAsync("/api/messages", activity);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    /// <summary>The row version of the tenant, the person and the chat, in that order.</summary>
    private async Task<string> VersionsAsync() => (await _database.ScalarAsync<string>("""
        SELECT (SELECT xmin::text FROM tenants WHERE external_id = 'tenant-directory') || ',' ||
               (SELECT xmin::text FROM people WHERE platform_user_id = '29:ada') || ',' ||
               (SELECT xmin::text FROM conversations WHERE conversation_id = 'a:chat-ada')
        """))!;

    [Test]
    public async Task A_turn_that_changes_nothing_writes_no_row_with_or_without_the_cache()
    {
        await using (var first = new BotFactory(_database))
        {
            await SendAsync(first, Update("Ada", _connector.ServiceUrl));
        }

        var before = await VersionsAsync();
        var updatedAt = await _database.ScalarAsync<DateTime>("SELECT updated_at FROM people WHERE platform_user_id = '29:ada'");

        // A fresh process reads the rows; the same process answers again from what it remembers.
        await using (var second = new BotFactory(_database))
        {
            await SendAsync(second, Update("Ada", _connector.ServiceUrl));
            await SendAsync(second, Update("Ada", _connector.ServiceUrl));
        }

        Assert.That(before.Split(','), Has.Length.EqualTo(3).And.All.Not.Empty, "all three rows exist");
        Assert.That(await VersionsAsync(), Is.EqualTo(before), "tenant, person and chat untouched");
        Assert.That(await _database.ScalarAsync<DateTime>("SELECT updated_at FROM people WHERE platform_user_id = '29:ada'"), Is.EqualTo(updatedAt),
            "nothing dates the person's clicks");
    }

    [Test]
    public async Task A_new_name_and_service_url_are_written_together_in_one_transaction_and_the_tenant_is_left_alone()
    {
        await using var bot = new BotFactory(_database);
        await SendAsync(bot, Update("Ada", _connector.ServiceUrl));
        var tenantBefore = await _database.ScalarAsync<string>("SELECT xmin::text FROM tenants WHERE external_id = 'tenant-directory'");

        var moved = _connector.ServiceUrl.TrimEnd('/') + "/emea/";
        await SendAsync(bot, Update("Ada Lovelace", moved));

        var versions = (await VersionsAsync()).Split(',');
        Assert.Multiple(async () =>
        {
            Assert.That(versions[0], Is.EqualTo(tenantBefore), "the tenant row is not rewritten");
            Assert.That(versions[1], Is.EqualTo(versions[2]), "person and chat changed in the same transaction");
            Assert.That(await _database.ScalarAsync<string>("SELECT display_name FROM people WHERE platform_user_id = '29:ada'"), Is.EqualTo("Ada Lovelace"));
            Assert.That(await _database.ScalarAsync<string>("SELECT service_url FROM conversations WHERE conversation_id = 'a:chat-ada'"), Is.EqualTo(moved));
        });
    }

    [Test]
    public async Task A_conversation_marked_unreachable_by_this_instance_is_reachable_again_at_the_next_activity()
    {
        await using var bot = new BotFactory(_database);
        await SendAsync(bot, Update("Ada", _connector.ServiceUrl));
        await SendAsync(bot, new
        {
            type = "installationUpdate",
            action = "remove",
            id = Guid.NewGuid().ToString(),
            channelId = "msteams",
            serviceUrl = _connector.ServiceUrl,
            from = new { id = "29:ada", name = "Ada", aadObjectId = "aad-ada" },
            conversation = new { id = "a:chat-ada", conversationType = "personal", tenantId = Tenant },
            recipient = new { id = "28:bot", name = "AlignmentBot" },
            channelData = new { tenant = new { id = Tenant } },
        });
        Assert.That(await _database.ScalarAsync<bool>("SELECT reachable FROM conversations WHERE conversation_id = 'a:chat-ada'"), Is.False);

        await SendAsync(bot, Update("Ada", _connector.ServiceUrl));

        Assert.That(await _database.ScalarAsync<bool>("SELECT reachable FROM conversations WHERE conversation_id = 'a:chat-ada'"), Is.True,
            "what the bot remembered about the chat was forgotten when it marked it");
    }

    [Test]
    public async Task Typing_is_answered_before_any_database_work_and_recorded_just_after()
    {
        await using var bot = new BotFactory(_database);
        using var client = bot.CreateClient();
        await using var dataSource = _database.CreateDataSource();
        await using var locker = await dataSource.OpenConnectionAsync();
        await using var transaction = await locker.BeginTransactionAsync();
        await using (var lockTenants = new NpgsqlCommand("LOCK TABLE tenants IN ACCESS EXCLUSIVE MODE", locker, transaction))
        {
            await lockTenants.ExecuteNonQueryAsync();
        }

        // While nobody can even read the tenants, the typing activity is still answered.
        var typing = new
        {
            type = "typing",
            id = Guid.NewGuid().ToString(),
            channelId = "msteams",
            serviceUrl = _connector.ServiceUrl,
            from = new { id = "29:ada", name = "Ada", aadObjectId = "aad-ada" },
            conversation = new { id = "a:chat-ada", conversationType = "personal", tenantId = Tenant },
            recipient = new { id = "28:bot", name = "AlignmentBot" },
            channelData = new { tenant = new { id = Tenant } },
        };
        var post = client.PostAsJsonAsync("/api/messages", typing);
        var first = await Task.WhenAny(post, Task.Delay(TimeSpan.FromSeconds(60)));
        Assert.That(first, Is.SameAs(post), "answered while the database work was blocked");
        Assert.That((await post).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await _database.ScalarAsync<long>("SELECT count(*) FROM people WHERE platform_user_id = '29:ada'"), Is.Zero, "not recorded yet");

        await transaction.RollbackAsync();
        var recorded = await Eventually.ValueAsync(() => _database.ScalarAsync<long>("SELECT count(*) FROM people WHERE platform_user_id = '29:ada'"),
            n => n == 1, TimeSpan.FromSeconds(30), "the typing person to be recorded");
        Assert.That(recorded, Is.EqualTo(1));
    }

    [Test]
    public async Task Someone_first_known_from_graph_becomes_one_person_when_teams_shows_them()
    {
        // Graph stores a manager the bot has not met under their Entra object id (GraphSync); one speaks, one is on a roster.
        var tenantId = await _database.ScalarAsync<long>($"INSERT INTO tenants (platform, external_id) VALUES ('teams', '{Tenant}') RETURNING id");
        var ada = await _database.ScalarAsync<long>($"INSERT INTO people (tenant_id, platform_user_id, aad_object_id, display_name) VALUES ({tenantId}, 'aad-ada', 'aad-ada', 'Ada') RETURNING id");
        var bo = await _database.ScalarAsync<long>($"INSERT INTO people (tenant_id, platform_user_id, aad_object_id, display_name) VALUES ({tenantId}, 'aad-bo', 'aad-bo', 'Bo') RETURNING id");
        await _database.ExecuteAsync($"UPDATE people SET manager_id = {bo} WHERE id = {ada}");

        await using var bot = new BotFactory(_database);
        await SendAsync(bot, Update("Ada", _connector.ServiceUrl));
        var directory = bot.Services.GetRequiredService<ConversationDirectory>();
        var rostered = await directory.UpsertPeopleAsync(tenantId, [new Member("29:bo", "aad-bo", "Bo")], CancellationToken.None);

        Assert.That(await _database.ScalarAsync<long>("SELECT count(*) FROM people"), Is.EqualTo(2), "no second row for either");
        Assert.That(await _database.ScalarAsync<long>("SELECT id FROM people WHERE platform_user_id = '29:ada'"), Is.EqualTo(ada), "the speaker took over the row Graph made");
        Assert.That(rostered, Is.EqualTo(new[] { bo }), "the roster's person is the row Graph made");
        Assert.That(await _database.ScalarAsync<long>($"SELECT manager_id FROM people WHERE id = {ada}"), Is.EqualTo(bo), "the manager link Graph gave is kept");
    }
}
