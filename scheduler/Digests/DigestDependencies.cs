using AlignmentBot.Scheduler.Okrs.Dependencies;
using Npgsql;

namespace AlignmentBot.Scheduler.Digests;

/// <summary>
/// Adds each team's dependencies to its digest: what its key results wait for ("blocked by") and what waits for its
/// key results ("blocking"), read in the digest's own snapshot with one query for all the teams asked for.
/// </summary>
internal static class DigestDependencies
{
    public static async Task<IReadOnlyList<TeamDigest>> AttachAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<TeamDigest> digests,
        DateTimeOffset at, CancellationToken ct)
    {
        if (digests.Count == 0)
        {
            return digests;
        }

        var links = await DependencyReader.OfTeamsAsync(connection, [.. digests.Select(d => d.TeamId)], at, ct, transaction);
        if (links.Count == 0)
        {
            return digests;
        }

        var blockedBy = links.ToLookup(l => l.Waiting.TeamId ?? 0);
        var blocking = links.ToLookup(l => l.WaitedOn.TeamId ?? 0);
        return [.. digests.Select(d => d with { BlockedBy = [.. blockedBy[d.TeamId]], Blocking = [.. blocking[d.TeamId]] })];
    }
}
