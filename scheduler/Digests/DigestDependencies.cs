using AlignmentBot.Scheduler.Okrs.Dependencies;

namespace AlignmentBot.Scheduler.Digests;

/// <summary>
/// Adds each team's dependencies to its digest: what its key results wait for ("blocked by") and what waits for its
/// key results ("blocking"), read in the digest's own snapshot by the same batch as the rest of it.
/// </summary>
internal static class DigestDependencies
{
    public static IReadOnlyList<TeamDigest> Attach(IReadOnlyList<TeamDigest> digests, IReadOnlyList<DependencyLink> links)
    {
        if (digests.Count == 0 || links.Count == 0)
        {
            return digests;
        }

        var blockedBy = links.ToLookup(l => l.Waiting.TeamId ?? 0);
        var blocking = links.ToLookup(l => l.WaitedOn.TeamId ?? 0);
        return [.. digests.Select(d => d with { BlockedBy = [.. blockedBy[d.TeamId]], Blocking = [.. blocking[d.TeamId]] })];
    }
}
