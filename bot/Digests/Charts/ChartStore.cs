using Dapper;
using Npgsql;

namespace AlignmentBot.Bot.Digests.Charts;

/// <summary>A published chart as the endpoint serves it.</summary>
public sealed record StoredChart(byte[] Png, DateTimeOffset ExpiresAt);

/// <summary>Published chart images, found by the SHA-256 of their URL's token.</summary>
public sealed class ChartStore(NpgsqlDataSource dataSource)
{
    // Publishing is rare (a digest a team a week), so it is also when expired charts are deleted. One round trip: the
    // transaction, its commit mode and the statement go as one batch.
    private const string Save = """
        BEGIN;
        SET LOCAL synchronous_commit TO OFF;
        WITH expired AS (
            DELETE FROM digest_charts WHERE expires_at <= @Now
        )
        INSERT INTO digest_charts (tenant_id, token_hash, png, created_at, expires_at)
        VALUES (@TenantId, @TokenHash, @Png, @Now, @ExpiresAt);
        COMMIT
        """;

    /// <remarks>
    /// The commit does not wait for the disk: a chart is derived data that the card's text already spells out, so a crash
    /// in the next fraction of a second costing an image is a fair price for not waiting on an fsync per digest (the
    /// digest benchmark counts this wait).
    /// </remarks>
    public async Task SaveAsync(long tenantId, byte[] tokenHash, byte[] png, DateTimeOffset now, DateTimeOffset expiresAt, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(Save,
            new { TenantId = tenantId, TokenHash = tokenHash, Png = png, Now = now, ExpiresAt = expiresAt }, cancellationToken: ct));
    }

    private const string Find = """
        SELECT png, expires_at
        FROM   digest_charts
        WHERE  token_hash = @TokenHash
          AND  expires_at > @Now
        """;

    /// <summary>The chart, or null when no chart has that token or it has expired (by the caller's clock, not the database's).</summary>
    public async Task<StoredChart?> FindAsync(byte[] tokenHash, DateTimeOffset now, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(Find,
            new { TokenHash = tokenHash, Now = now }, cancellationToken: ct));
        return row is null ? null : new StoredChart(row.Png, new DateTimeOffset(row.ExpiresAt, TimeSpan.Zero));
    }

    // Npgsql reads timestamptz as a UTC DateTime.
    private sealed record Row(byte[] Png, DateTime ExpiresAt);
}
