using System.Globalization;
using AlignmentBot.Scheduler.Tenants;
using Dapper;
using Npgsql;

namespace AlignmentBot.Scheduler.Digests;

/// <summary>A tenant's digest day and local time (each team's in its own zone) and where the leaders' roll-up goes.</summary>
/// <remarks>
/// <para><c>LeadersChannel</c>: The platform id of a channel the bot is in (e.g. "19:...@thread.tacv2"); null for none.</para>
/// </remarks>
public sealed record TenantDigestSettings(string Day = "monday", string Time = "09:00", string? LeadersChannel = null);

/// <summary>A team's own digest day and time (null: the tenant's), or no digest at all.</summary>
public sealed record TeamDigestSettings(string? Day = null, string? Time = null, bool Enabled = true);

/// <summary>Reads and writes digest settings; validation names every bad field.</summary>
public sealed class DigestSettingsStore(NpgsqlDataSource dataSource)
{
    public static Dictionary<string, string[]> Problems(string? day, string? time)
    {
        var problems = new Dictionary<string, string[]>();
        // By name only: Enum.TryParse would also take "3" or "monday,tuesday".
        if (day is not null && !Enum.GetNames<DayOfWeek>().Contains(day, StringComparer.OrdinalIgnoreCase))
        {
            problems["day"] = [$"\"{day}\" is not a day of the week like \"monday\"."];
        }

        if (time is not null && !TimeOnly.TryParseExact(time, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            problems["time"] = [$"\"{time}\" is not a time of day like \"09:00\"."];
        }

        return problems;
    }

    private static short? Weekday(string? day) => day is null ? null : (short)Enum.Parse<DayOfWeek>(day, ignoreCase: true);

    private static TimeOnly? Time(string? time) => time is null ? null : TimeOnly.ParseExact(time, "HH:mm", CultureInfo.InvariantCulture);

    private const string SelectChannel = """
        SELECT c.id FROM conversations c JOIN tenants x ON x.id = c.tenant_id
        WHERE x.platform = @Platform AND x.external_id = @Tenant AND c.conversation_id = @Channel AND c.kind = 'channel'
        """;

    private const string UpdateTenant = """
        UPDATE tenants SET digest_weekday = @Weekday, digest_time = @Time, leaders_conversation_id = @Channel
        WHERE platform = @Platform AND external_id = @Tenant
        """;

    /// <summary>Saves a tenant's settings: false when the tenant is unknown; throws <see cref="KeyNotFoundException"/> for an unknown channel.</summary>
    public async Task<bool> SaveAsync(TenantAddress tenant, TenantDigestSettings settings, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        long? channel = null;
        if (settings.LeadersChannel is { } leadersChannel)
        {
            channel = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(SelectChannel, new { tenant.Platform, Tenant = tenant.ExternalId, Channel = leadersChannel }, cancellationToken: ct))
                ?? throw new KeyNotFoundException($"The bot is in no channel \"{leadersChannel}\" of this tenant (add it to the team first).");
        }

        return await connection.ExecuteAsync(new CommandDefinition(UpdateTenant,
            new { tenant.Platform, Tenant = tenant.ExternalId, Weekday = Weekday(settings.Day), Time = Time(settings.Time), Channel = channel }, cancellationToken: ct)) == 1;
    }

    private const string UpdateTeam = """
        UPDATE teams SET digest_weekday = @Weekday, digest_time = @Time, digest_enabled = @Enabled
        WHERE id = @TeamId
        """;

    /// <summary>Saves a team's settings; false when there is no such team.</summary>
    public async Task<bool> SaveAsync(long teamId, TeamDigestSettings settings, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(UpdateTeam,
            new { TeamId = teamId, Weekday = Weekday(settings.Day), Time = Time(settings.Time), settings.Enabled }, cancellationToken: ct)) == 1;
    }
}
