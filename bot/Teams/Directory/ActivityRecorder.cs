using AlignmentBot.Bot.Teams.Protocol;
using AlignmentBot.Bot.Directory;
using AlignmentBot.Bot.Turns;
using AlignmentBot.Scheduler.People;

namespace AlignmentBot.Bot.Teams.Directory;

/// <summary>What an activity meant for where the bot is installed.</summary>
public enum Installation { Unchanged, PersonalInstalled, TeamInstalled, Removed }

/// <summary>
/// Keeps "who is where" current from every inbound activity: the tenant, the sender, the
/// conversation (and its serviceUrl), written only when they changed (<see cref="TurnDirectory"/>);
/// a team install stores the team, its General channel and its roster; an uninstall or removal marks
/// the conversation unreachable so nothing more is sent there.
/// </summary>
public sealed class ActivityRecorder(TurnDirectory turns, ConversationDirectory directory, ITeamRoster roster, IEnumerable<ITeamInstalledHandler> onTeamInstalled, ILogger<ActivityRecorder> logger)
{
    /// <summary>Used when a client (e.g. a local test client) sends no tenant at all.</summary>
    public const string UnknownTenant = "unknown";

    public async Task<(Turn Turn, Installation Installation)> RecordAsync(Activity activity, CancellationToken ct)
    {
        var tenantExternalId = activity.Conversation?.TenantId ?? activity.Teams?.TenantId ?? UnknownTenant;
        var sender = IsPerson(activity.From, activity) ? ToMember(activity.From!) : null;
        var kind = ConversationKind(activity.Conversation);
        // The zone the client reports, kept as the person's (the platform's word). Not from a card submission: a person
        // row changed in the same moment as a pulse answer would tie the two together for someone reading the database.
        var zone = sender is null || IsCardSubmission(activity) ? null : Zones.ToIana(activity.LocalTimezone);
        var parties = await turns.RecordAsync(tenantExternalId, sender, zone, kind, BaseConversationId(activity.Conversation?.Id ?? ""), activity.ServiceUrl, ct);

        var turn = new Turn(parties.TenantId, parties.PersonId, parties.Conversation);
        var installation = await RecordInstallationAsync(activity, turn, ct);
        return (turn, installation);
    }

    private async Task<Installation> RecordInstallationAsync(Activity activity, Turn turn, CancellationToken ct)
    {
        var botId = activity.Recipient?.Id;
        var team = activity.Teams?.Team;

        if (activity.Type == ActivityTypes.InstallationUpdate)
        {
            if (activity.Action is "remove" or "remove-upgrade")
            {
                await MarkRemovedAsync(activity, turn, $"installationUpdate {activity.Action}", ct);
                return Installation.Removed;
            }

            return await PersonalInstallAsync(turn, ct);
        }

        if (activity.Type != ActivityTypes.ConversationUpdate)
        {
            return Installation.Unchanged;
        }

        var added = activity.MembersAdded ?? [];
        var removed = activity.MembersRemoved ?? [];
        if (removed.Any(m => m.Id == botId))
        {
            await MarkRemovedAsync(activity, turn, "bot removed (membersRemoved)", ct);
            return Installation.Removed;
        }

        if (team is not null)
        {
            if (added.Any(m => m.Id == botId))
            {
                await StoreTeamAsync(activity, turn, team, ct);
                return Installation.TeamInstalled;
            }

            await UpdateTeamMembersAsync(activity, turn, team, added, removed, ct);
            return Installation.Unchanged;
        }

        return added.Any(m => m.Id == botId) ? await PersonalInstallAsync(turn, ct) : Installation.Unchanged;
    }

    private async Task<Installation> PersonalInstallAsync(Turn turn, CancellationToken ct) =>
        turn.Conversation.Kind == "personal" && await directory.TryClaimWelcomeAsync(turn.Conversation.Id, ct)
            ? Installation.PersonalInstalled
            : Installation.Unchanged;

    private async Task StoreTeamAsync(Activity activity, Turn turn, TeamInfo team, CancellationToken ct)
    {
        // The General channel's id is the team's id.
        var general = await directory.UpsertConversationAsync(turn.TenantId, "channel", team.Id, activity.ServiceUrl, null, ct);
        var teamId = await directory.UpsertTeamAsync(turn.TenantId, team.Id, team.Name, general.Id, ct);

        // Without a roster the team is still stored; its members arrive with the next install or membership event.
        var members = await roster.GetMembersAsync(activity.ServiceUrl!, team.Id, ct);
        if (members is not null)
        {
            var personIds = await directory.UpsertPeopleAsync(turn.TenantId, members, ct);
            await directory.SetTeamMembersAsync(teamId, personIds, complete: true, ct);
        }

        logger.LogInformation("Installed in team {TeamId} ({TeamName}) with {Members} members", team.Id, team.Name, members?.Count);
        foreach (var handler in onTeamInstalled)
        {
            await handler.TeamInstalledAsync(turn.TenantId, teamId, ct);
        }
    }

    private async Task UpdateTeamMembersAsync(Activity activity, Turn turn, TeamInfo team, IReadOnlyList<ChannelAccount> added, IReadOnlyList<ChannelAccount> removed, CancellationToken ct)
    {
        if (await directory.FindTeamAsync(turn.TenantId, team.Id, ct) is not { } teamId)
        {
            return;
        }

        var people = added.Where(m => IsPerson(m, activity)).Select(ToMember).ToList();
        if (people.Count > 0)
        {
            await directory.SetTeamMembersAsync(teamId, await directory.UpsertPeopleAsync(turn.TenantId, people, ct), complete: false, ct);
        }

        if (removed.Count > 0)
        {
            await directory.RemoveTeamMembersAsync(teamId, removed.Select(m => m.Id).ToList(), ct);
        }
    }

    private async Task MarkRemovedAsync(Activity activity, Turn turn, string reason, CancellationToken ct)
    {
        await directory.MarkUnreachableAsync(turn.TenantId, turn.Conversation.ConversationId, reason, ct);
        if (activity.Teams?.Team is { } team && team.Id != turn.Conversation.ConversationId)
        {
            await directory.MarkUnreachableAsync(turn.TenantId, team.Id, reason, ct);
        }

        logger.LogInformation("Removed from conversation {ConversationId}: {Reason}", turn.Conversation.ConversationId, reason);
    }

    private static bool IsCardSubmission(Activity activity) =>
        (activity.Type == ActivityTypes.Invoke && activity.Name == Turns.TeamsTurnProcessor.CardActionInvoke)
        || (activity.Type == ActivityTypes.Message && activity.Value is { ValueKind: System.Text.Json.JsonValueKind.Object } && string.IsNullOrWhiteSpace(activity.Text));

    internal static bool IsPerson(ChannelAccount? account, Activity activity) =>
        account is { Id.Length: > 0 } && account.Id != activity.Recipient?.Id && account.Role != "bot" && !account.Id.StartsWith("28:", StringComparison.Ordinal);

    private static Member ToMember(ChannelAccount account) => new(account.Id, account.AadObjectId, account.Name);

    internal static string ConversationKind(ConversationAccount? conversation) => conversation?.ConversationType switch
    {
        "channel" => "channel",
        "groupChat" => "groupChat",
        "personal" => "personal",
        _ => conversation?.IsGroup == true ? "groupChat" : "personal",
    };

    /// <summary>A channel thread's id carries ";messageid=..." — the conversation is the channel.</summary>
    private static string BaseConversationId(string id)
    {
        var thread = id.IndexOf(";messageid=", StringComparison.OrdinalIgnoreCase);
        return thread < 0 ? id : id[..thread];
    }
}
