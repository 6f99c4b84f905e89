using System.Globalization;
using System.Security.Claims;
using AlignmentBot.Bot.Admin;

namespace AlignmentBot.Bot.Web.Console;

/// <summary>
/// The console's door and its audit: who may use it (a signed-in admin of an organisation the bot serves, by the
/// dashboard's admin rule), which survey or run they may touch (<see cref="AdminAccess"/>, the one decision the
/// <c>/admin</c> API also asks), and the audit row for each change, written as <see cref="AdminGate"/> writes the API's.
/// </summary>
public sealed class ConsoleGate(DashboardViewer viewer, AdminAccess access, AdminAudit audit)
{
    /// <summary>The admin, or why this person may not use the console.</summary>
    public sealed record Verdict(ConsoleAdmin? Admin, string Why);

    public async Task<Verdict> AdmitAsync(ClaimsPrincipal user, CancellationToken ct)
    {
        var who = await viewer.IdentifyAsync(user, ct);
        if (who is null)
        {
            return new Verdict(null, "Your organisation does not use AlignmentBot, or has not installed it yet.");
        }

        if (!who.Admin)
        {
            return new Verdict(null, "The console is for your organisation's AlignmentBot admins: people with the AlignmentBot admin app role in Entra ID, or named in the bot's admin list. Ask an admin to add you.");
        }

        // The person, not only the tenant: the audit trail says who did it.
        var name = $"signed-in admin {who.Name} <{user.FindFirstValue("oid") ?? SignIn.SlackPeople.Ids(user)?.User}>";
        return new Verdict(new ConsoleAdmin(who, AdminCaller.SignedInAdmin(who.TenantExternalId, who.Platform) with { Name = name }), "");
    }

    /// <summary>Whether the admin may act on this survey or run: false for another tenant's (shown as not found, as the API does).</summary>
    public async Task<bool> MayAsync(ConsoleAdmin admin, AdminResource resource, long id, CancellationToken ct)
    {
        var decision = await access.DecideAsync(admin.Caller, resource, id.ToString(CultureInfo.InvariantCulture), admin.Tenant.Platform, ct);
        return decision.Allowed && decision.TenantId == admin.Who.TenantId;
    }

    /// <summary>
    /// Audits a change as the API's gate does: only a success that changed something, with the same action (the API
    /// route it equals), subject and details (status, and the outcome when there is one), under the admin's name.
    /// </summary>
    public async Task<ConsoleOutcome> AuditAsync(AdminRequest request, string action, IResult result, CancellationToken ct)
    {
        var outcome = ConsoleOutcome.Of(result);
        if (outcome.Succeeded && !request.ChangedNothing)
        {
            object details = request.Outcome is { } changed ? new { status = outcome.Status, outcome = changed } : new { status = outcome.Status };
            await audit.RecordAsync(request, action, request.Subject, details, ct);
        }

        return outcome;
    }
}
