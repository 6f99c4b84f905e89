namespace AlignmentBot.Scheduler.Tenants;

/// <summary>
/// A tenant as an admin names it: its platform and its id there (a Teams tenant id, a Slack workspace id). The id
/// alone is not enough once a Slack workspace and a Teams tenant can share one database. In SQL it is always
/// <c>platform = @Platform AND external_id = @Tenant</c> (see <see cref="Args"/>).
/// </summary>
public sealed record TenantAddress(string Platform, string ExternalId)
{
    public const string Teams = "teams";

    /// <summary>The admin routes' prefix: <c>/tenants/{platform}/{tenant}</c>, the platform one of those the database knows.</summary>
    public const string Route = "/tenants/{platform:regex(^(teams|slack)$)}/{tenant}";

    /// <summary>The Dapper parameters naming the tenant.</summary>
    public object Args => new { Platform, Tenant = ExternalId };

    public override string ToString() => $"{Platform} tenant \"{ExternalId}\"";
}
