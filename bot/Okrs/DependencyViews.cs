using AlignmentBot.Scheduler.Okrs.Dependencies;
using Npgsql;

namespace AlignmentBot.Bot.Okrs;

/// <summary>The dependencies chat shows beside key results, with their state as of now (one query for all of them).</summary>
public sealed class DependencyViews(NpgsqlDataSource dataSource)
{
    public async Task<IReadOnlyList<DependencyLink>> OfAsync(IEnumerable<long> keyResultIds, DateTimeOffset now, CancellationToken ct)
    {
        var ids = keyResultIds.Distinct().ToArray();
        if (ids.Length == 0)
        {
            return [];
        }

        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await DependencyReader.OfKeyResultsAsync(connection, ids, now, ct);
    }

    public async Task<IReadOnlyList<DependencyLink>> ByIdsAsync(IReadOnlyList<long> ids, DateTimeOffset now, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await DependencyReader.ByIdsAsync(connection, ids, now, ct);
    }
}
