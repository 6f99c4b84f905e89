using AlignmentBot.Bot.Teams.Protocol;
using Microsoft.Extensions.Options;

namespace AlignmentBot.Bot.Teams.Auth;

/// <summary>
/// Who may act as a person at all, decided before anything is recorded: only Microsoft Teams (a Web Chat or
/// Direct Line client chooses its own <c>from.id</c>, so a token endorsed for those channels must never act
/// as a Teams user), and only in one of our tenants, named the same way by <c>conversation.tenantId</c> and
/// <c>channelData.tenant.id</c>. The tenant rule needs configured tenants: without any (local mode, Development
/// only) every tenant is accepted, as the options validator allows nothing else.
/// </summary>
public sealed class TeamsActivityPolicy(IOptions<TeamsOptions> options)
{
    public const string TeamsChannelId = "msteams";

    private readonly HashSet<string> _tenants = options.Value.ServedTenants().ToHashSet(StringComparer.OrdinalIgnoreCase);

    public AuthenticationOutcome Check(Activity activity)
    {
        if (!string.Equals(activity.ChannelId, TeamsChannelId, StringComparison.Ordinal))
        {
            return AuthenticationOutcome.Fail("the activity is not from Microsoft Teams");
        }

        var fromConversation = activity.Conversation?.TenantId;
        var fromChannelData = activity.Teams?.TenantId;
        if (fromConversation is not null && fromChannelData is not null && !string.Equals(fromConversation, fromChannelData, StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticationOutcome.Fail("conversation.tenantId and channelData.tenant.id disagree");
        }

        if (_tenants.Count == 0)
        {
            return AuthenticationOutcome.Success;
        }

        var tenant = fromConversation ?? fromChannelData;
        if (string.IsNullOrEmpty(tenant))
        {
            return AuthenticationOutcome.Fail("the activity names no tenant");
        }

        return _tenants.Contains(tenant)
            ? AuthenticationOutcome.Success
            : AuthenticationOutcome.Fail("the activity's tenant is not one this bot serves");
    }
}
