using AlignmentBot.Bot.Directory;
using AlignmentBot.Bot.People.Graph;
using AlignmentBot.Bot.Teams.Connector;
using AlignmentBot.Tests.Support;
using AlignmentBot.Tests.Teams.Fakes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Quartz;
using Quartz.Impl.Triggers;

namespace AlignmentBot.Tests.People;

/// <summary>
/// The Graph sync's place on the clustered scheduler, in the real bot with its real Quartz store: a repeating trigger
/// when Graph is on (none, and no job, when it is off), and one run right after an install.
/// </summary>
public class GraphScheduleTests
{
    private const string AppId = "00000000-0000-0000-0000-00000000b07a";
    private const string AppPassword = "graph-schedule-secret";
    private const string Tenant = "11111111-2222-3333-4444-555555555555";
    private static readonly TriggerKey Trigger = new(GraphSyncJob.Name, GraphSyncJob.Group);

    // Thursday 6 May 2027, 07:13 UTC: any moment would do; the trigger counts from the bot's clock, not the machine's.
    private static readonly DateTimeOffset Now = new(2027, 5, 6, 7, 13, 0, TimeSpan.Zero);

    private TestDatabase _database = null!;

    [SetUp]
    public async Task StartAsync() => _database = await TestDatabase.CreateAsync();

    [TearDown]
    public async Task StopAsync() => await _database.DisposeAsync();

    private BotFactory Bot(bool enabled, string interval = "1.00:00:00", string graphUrl = "http://127.0.0.1:9/v1.0", FakeEntraId? entra = null) => new(_database,
        new Dictionary<string, string?>
        {
            ["Privacy:ResponseKeySecret"] = "graph-schedule-response-key-secret-012345",
            ["Teams:AppId"] = AppId,
            ["Teams:AppPassword"] = AppPassword,
            ["Teams:TenantId"] = Tenant,
            ["Graph:Enabled"] = enabled ? "true" : "false",
            ["Graph:SyncInterval"] = interval,
            ["Graph:BaseUrl"] = graphUrl,
            ["Graph:BatchPause"] = "00:00:00",
        }, new FakeTimeProvider(Now), services =>
        {
            if (entra is not null)
            {
                services.AddHttpClient(MsalBotTokenProvider.HttpClientName).AddHttpMessageHandler(() => new LoopbackRedirectHandler(entra.BaseAddress));
            }
        });

    private static ValueTask<IScheduler> SchedulerAsync(BotFactory bot) => bot.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();

    [Test]
    public async Task Graph_on_puts_the_sync_on_the_clustered_scheduler_every_interval_and_graph_off_takes_it_away()
    {
        await using (var on = Bot(enabled: true))
        {
            var scheduler = await SchedulerAsync(on);
            var trigger = await scheduler.GetTrigger(Trigger);
            using (Assert.EnterMultipleScope())
            {
                Assert.That(trigger, Is.InstanceOf<ISimpleTrigger>());
                Assert.That(trigger!.JobKey, Is.EqualTo(GraphSyncJob.Key));
                Assert.That(((ISimpleTrigger)trigger).RepeatInterval, Is.EqualTo(TimeSpan.FromDays(1)), "nightly by default");
                Assert.That(((ISimpleTrigger)trigger).RepeatCount, Is.EqualTo(SimpleTriggerImpl.RepeatIndefinitely));
                Assert.That(trigger.StartTimeUtc, Is.EqualTo(Now + TimeSpan.FromDays(1)),
                    "the first run one interval after start-up on the bot's clock (UTC instants: a simple trigger has no zone to get wrong)");
                Assert.That(await _database.ScalarAsync<long>("SELECT count(*) FROM qrtz_triggers WHERE trigger_name = 'graph-sync' AND trigger_group = 'people'"),
                    Is.EqualTo(1), "kept in the clustered store, so one instance of the cluster runs it");
            }
        }

        await using (var hourly = Bot(enabled: true, interval: "06:00:00"))
        {
            var trigger = (ISimpleTrigger?)await (await SchedulerAsync(hourly)).GetTrigger(Trigger);
            Assert.That(trigger?.RepeatInterval, Is.EqualTo(TimeSpan.FromHours(6)), "a changed Graph:SyncInterval replaces the stored trigger");
        }

        await using (var off = Bot(enabled: false))
        {
            var scheduler = await SchedulerAsync(off);
            using (Assert.EnterMultipleScope())
            {
                Assert.That(await scheduler.GetTrigger(Trigger), Is.Null);
                Assert.That(await scheduler.GetJobDetail(GraphSyncJob.Key), Is.Null, "nothing left for an install to trigger either");
                Assert.That(await _database.ScalarAsync<long>("SELECT count(*) FROM qrtz_job_details WHERE job_name = 'graph-sync'"), Is.Zero);
            }
        }
    }

    [Test]
    public async Task An_install_runs_the_sync_once_on_the_scheduler_and_not_at_all_with_graph_off()
    {
        await using var graph = await FakeGraph.StartAsync();
        graph.Users.Add(new FakeGraphUser("aad-ana", "Ana", MailboxTimeZone: "Tokyo Standard Time"));
        await using var entra = await FakeEntraId.StartAsync(AppId, AppPassword);
        await _database.ExecuteAsync($"""
            INSERT INTO tenants (platform, external_id) VALUES ('teams', '{Tenant}');
            INSERT INTO people (tenant_id, platform_user_id, aad_object_id, display_name) SELECT id, '29:ana', 'aad-ana', 'Ana' FROM tenants;
            """);
        bool Listed(string request) => request.StartsWith("GET /v1.0/users?", StringComparison.Ordinal);

        await using (var off = Bot(enabled: false, graphUrl: graph.BaseUrl, entra: entra))
        {
            await off.Services.GetServices<ITeamInstalledHandler>().OfType<GraphSyncOnInstall>().Single().TeamInstalledAsync(1, 1, CancellationToken.None);
        }

        Assert.That(graph.Requests, Is.Empty, "Graph off: an install asks Graph nothing");

        await using var on = Bot(enabled: true, interval: "00:00:00", graphUrl: graph.BaseUrl, entra: entra);
        Assert.That(await (await SchedulerAsync(on)).GetTrigger(Trigger), Is.Null, "interval zero: no repeating trigger, only installs run it");
        await on.Services.GetServices<ITeamInstalledHandler>().OfType<GraphSyncOnInstall>().Single().TeamInstalledAsync(1, 1, CancellationToken.None);

        await Eventually.ValueAsync(() => _database.ScalarAsync<string?>("SELECT time_zone FROM people WHERE aad_object_id = 'aad-ana'"),
            zone => zone == "Asia/Tokyo", TimeSpan.FromSeconds(60), "the sync the install triggered");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(graph.Requests.Count(r => Listed(r.Request)), Is.EqualTo(1), "one run: one listing");
            Assert.That(graph.Batches, Has.Count.EqualTo(1));
        }
    }
}
