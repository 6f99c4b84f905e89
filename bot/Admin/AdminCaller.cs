namespace AlignmentBot.Bot.Admin;

/// <summary>
/// Who is calling the admin API, named by the key they used (never the key itself): the global key
/// (<see cref="Tenant"/> null: every tenant) or one tenant's key.
/// </summary>
public sealed record AdminCaller(string Name, string? Tenant)
{
    public static AdminCaller Global { get; } = new("global key", null);

    /// <summary>No key at all: may use no tenant (no tenant has this id).</summary>
    public static AdminCaller Nobody { get; } = new("nobody", "\0");

    public static AdminCaller ForTenant(string tenant) => new($"tenant key ({tenant})", tenant);

    /// <summary>Someone signed in to the dashboard with their organisation's admin role: like a tenant key, their own tenant only.</summary>
    public static AdminCaller SignedInAdmin(string tenant) => new($"signed-in admin ({tenant})", tenant);

    public bool SeesEveryTenant => Tenant is null;

    /// <summary>Whether this caller may see and change the tenant with this external id.</summary>
    public bool May(string tenant) => Tenant is null || string.Equals(Tenant, tenant, StringComparison.Ordinal);
}
