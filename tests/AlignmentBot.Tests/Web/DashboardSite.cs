using AlignmentBot.Tests.Digests;
using AlignmentBot.Tests.Support;
using AlignmentBot.Tests.Teams.Fakes;
using Microsoft.Extensions.Time.Testing;

namespace AlignmentBot.Tests.Web;

/// <summary>
/// The digest tests' known week (<see cref="DigestFixture"/>) with Entra identities, the fake Entra ID, and the bot
/// with its dashboard on. People: alice (a Platform member), mia (Platform's manager), lea (a leader, in Sales),
/// pat (a Payments member), and an admin of the organisation who is in no team.
/// </summary>
public sealed class DashboardSite : IAsyncDisposable
{
    public const string TenantGuid = "7c9e6679-7425-40de-944b-e07fc1f90ae7";
    public const string ClientId = "3f2504e0-4f89-11d3-9a0c-0305e82c3301";
    public const string ClientSecret = "dashboard-client-secret";

    public static readonly FakeEntraId.SignedInUser Alice = new(TenantGuid, "oid-alice", "Alice");
    public static readonly FakeEntraId.SignedInUser Mia = new(TenantGuid, "oid-mia", "Mia");
    public static readonly FakeEntraId.SignedInUser Lea = new(TenantGuid, "oid-lea", "Lea");
    public static readonly FakeEntraId.SignedInUser Pat = new(TenantGuid, "oid-pat", "Pat");
    public static readonly FakeEntraId.SignedInUser Admin = new(TenantGuid, "oid-admin", "Ada Admin", ["AlignmentBot.Admin"]);
    public static readonly FakeEntraId.SignedInUser Stranger = new(TenantGuid, "oid-stranger", "Stranger");

    private DashboardSite(TestDatabase database, DigestFixture fixture, FakeEntraId entra, BotFactory bot, FakeTimeProvider clock)
    {
        Database = database;
        Fixture = fixture;
        Entra = entra;
        Bot = bot;
        Clock = clock;
    }

    public TestDatabase Database { get; }

    public DigestFixture Fixture { get; }

    public FakeEntraId Entra { get; }

    public BotFactory Bot { get; }

    public FakeTimeProvider Clock { get; }

    /// <summary>
    /// The site on <paramref name="clock"/>; with <paramref name="publicUrl"/> the bot listens on a real socket (for a
    /// browser), else it is hosted in-process.
    /// </summary>
    public static async Task<DashboardSite> StartAsync(FakeTimeProvider clock, string? publicUrl = null, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var database = await TestDatabase.CreateAsync();
        var fixture = await new DigestFixture(database).CreateAsync();
        await database.ExecuteAsync($"""
            UPDATE tenants SET external_id = '{TenantGuid}' WHERE id = {fixture.TenantId};
            UPDATE people SET aad_object_id = 'oid-' || display_name WHERE display_name IN ('alice', 'mia', 'lea');
            """);
        var pat = await fixture.Seed.PersonAsync(fixture.Payments, "pat", null);
        await database.ExecuteAsync($"UPDATE people SET aad_object_id = 'oid-pat' WHERE id = {pat}");

        var entra = await FakeEntraId.StartAsync(ClientId, ClientSecret);
        entra.Clock = clock;
        var all = new Dictionary<string, string?>
        {
            ["Dashboard:Enabled"] = "true",
            ["Dashboard:Authority"] = entra.Authority(),
            ["Dashboard:ClientId"] = ClientId,
            ["Dashboard:ClientSecret"] = ClientSecret,
        };
        if (publicUrl is not null)
        {
            all["urls"] = publicUrl;
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        var bot = new BotFactory(database, all, clock);
        if (publicUrl is not null)
        {
            bot.UseKestrel();
            bot.StartServer();
        }

        return new DashboardSite(database, fixture, entra, bot, clock);
    }

    public async ValueTask DisposeAsync()
    {
        await Bot.DisposeAsync();
        await Entra.DisposeAsync();
        await Database.DisposeAsync();
    }
}
