using AlignmentBot.Bot.Turns;
using AlignmentBot.Scheduler.Digests;
using AlignmentBot.Scheduler.People;

namespace AlignmentBot.Bot.Digests;

/// <summary>
/// <c>digest</c>: a preview, built now, of what the weekly digest would say. A team's manager gets their team's digest
/// (<c>digest &lt;team&gt;</c> when they manage several); a leader gets the roll-up, or any team's digest by name.
/// It shows the same aggregates as the channel digest, so it reveals nothing the team channel does not see.
/// </summary>
public sealed class DigestCommand(PeopleRoles roles, DigestBuilder builder, DigestChartLink charts, TimeProvider time) : IBotCommand
{
    public string Name => "digest";

    public bool IsPrivate => true;

    public string Description => "Preview your team's weekly digest now (managers); leaders: the roll-up, or “digest <team>”.";

    public async Task<Reply> RunAsync(Turn turn, string arguments, CancellationToken ct)
    {
        if (turn.PersonId is not { } personId)
        {
            return Reply.WithText("Digest previews are for team managers and leaders, in a personal chat with me.");
        }

        var (leader, teams) = await roles.ReadableAsync(turn.TenantId, personId, ct);

        var name = arguments.Trim();
        if (teams.Count == 0)
        {
            return Reply.WithText("Digest previews are for team managers and leaders. Your team's channel gets the digest every week.");
        }

        var now = time.GetUtcNow();
        if (name.Length == 0 && leader)
        {
            var all = await builder.BuildAsync(turn.TenantId, null, now, ct);
            return Reply.WithCard(RollupCards.Rollup(all, now, await builder.TenantTimeZoneAsync(turn.TenantId, ct), "Preview: the leaders' roll-up as it would look now."));
        }

        var matching = name.Length == 0 ? teams : [.. teams.Where(t => string.Equals(t.Name, name, StringComparison.OrdinalIgnoreCase))];
        if (matching is not [var team])
        {
            var list = string.Join(", ", teams.Take(20).Select(t => t.Name));
            return Reply.WithText(name.Length == 0
                ? $"You manage several teams; say which: digest <team>. Yours: {list}."
                : $"I don't know a team \"{name}\" that you can see. Yours: {list}.");
        }

        if (await builder.BuildAsync(turn.TenantId, [team.TeamId], now, ct) is not [var digest])
        {
            return Reply.WithText($"The team \"{team.Name}\" is gone.");
        }

        return Reply.WithCard(DigestCards.Team(digest, await charts.PublishAsync(turn.TenantId, digest, ct), $"Preview: {team.Name}'s weekly digest as it would look now."));
    }
}
