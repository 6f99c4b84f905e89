namespace AlignmentBot.Bot.Admin;

/// <summary>
/// Who is calling the admin API, named by the key they used (never the key itself): the global key
/// (<see cref="Tenant"/> null: every tenant) or one tenant's key. A tenant is named by (platform, external id): a Teams
/// tenant and a Slack workspace with the same id are different tenants, and a key for one never reaches the other.
/// </summary>
public sealed record AdminCaller(string Name, string? Tenant, string? Platform)
{
    public const string Teams = "teams";

    public const string Slack = "slack";

    public static AdminCaller Global { get; } = new("global key", null, null);

    /// <summary>No key at all: may use no tenant (no tenant has this id).</summary>
    public static AdminCaller Nobody { get; } = new("nobody", "\0", "\0");

    /// <summary>A key from <c>Admin:TenantKeys</c>: one Teams tenant.</summary>
    public static AdminCaller ForTenant(string tenant) => new($"tenant key ({tenant})", tenant, Teams);

    /// <summary>A key from <c>Admin:SlackWorkspaceKeys</c>: one Slack workspace.</summary>
    public static AdminCaller ForSlackWorkspace(string teamId) => new($"slack workspace key ({teamId})", teamId, Slack);

    /// <summary>
    /// Someone signed in to the dashboard as their organisation's admin (Entra's app role or the configured list; a
    /// Slack workspace's people through the list): like a tenant key, their own tenant on their own platform only.
    /// </summary>
    public static AdminCaller SignedInAdmin(string tenant, string platform = Teams) => new($"signed-in admin ({tenant})", tenant, platform);

    public bool SeesEveryTenant => Tenant is null;

    /// <summary>
    /// Whether this caller may see and change the tenant with this platform and external id. A platform not given
    /// (a request that does not name one) is taken as the caller's own.
    /// </summary>
    public bool May(string? platform, string tenant) =>
        Tenant is null || (string.Equals(Tenant, tenant, StringComparison.Ordinal) && (platform is null || string.Equals(Platform, platform, StringComparison.Ordinal)));
}
