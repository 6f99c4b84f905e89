using AlignmentBot.Bot.Admin;
using AlignmentBot.Scheduler.Tenants;

namespace AlignmentBot.Bot.Web.Console;

/// <summary>
/// A signed-in admin at the console: their tenant (the only one they may change, as with a tenant key) and the
/// <see cref="AdminCaller"/> the audit trail names them by (the person, never a key).
/// </summary>
public sealed record ConsoleAdmin(DashboardViewer.Who Who, AdminCaller Caller)
{
    public TenantAddress Tenant => new(Who.Platform, Who.TenantExternalId);

    /// <summary>A fresh admin request for one action: the caller, and the tenant it acts on for the audit row.</summary>
    public AdminRequest NewRequest(string? subject = null) => new()
    {
        Caller = Caller, TenantId = Who.TenantId, Tenant = Who.TenantExternalId, Platform = Who.Platform, Subject = subject,
    };
}
