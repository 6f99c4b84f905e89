using System.Text.Json;
using AlignmentBot.Scheduler.People;
using Dapper;
using Npgsql;

namespace AlignmentBot.Bot.Slack;

/// <summary>
/// The workspace directory from <c>users.list</c> (every page, <see cref="PageSize"/> at a time, its tier-2 rate limit
/// honoured by <see cref="SlackPages"/>): people with their name, e-mail and IANA time zone (<c>tz</c>, the zone pulses
/// are sent in), in the shared people table. Bots, Slackbot and deactivated (<c>deleted</c>) accounts are not people
/// here: they are returned as <see cref="SlackPeopleRead.NotPeople"/> so that no team keeps them. Being listed does not
/// make anyone active, and being deactivated does not retire anyone at once: a person is retired by the one rule for
/// leavers (in none of the bot's teams for <c>People:TeamlessDaysBeforeInactive</c> days, <see cref="People.RosterRefresh"/>),
/// as on Teams, and is active again once back in a team. The zone is what the platform says
/// (<see cref="PersonFacts.Platform"/>): the HR file, Graph or the person's own <c>timezone</c> choice still win over it.
/// </summary>
public sealed class SlackPeopleSync(NpgsqlDataSource dataSource, SlackWebApi api, SlackPages pages, TimeProvider time, ILogger<SlackPeopleSync> logger)
{
    public const int PageSize = 200;

    /// <summary>Slackbot: listed like a person, never one.</summary>
    public const string SlackBot = "USLACKBOT";

    private const string Upsert = """
        INSERT INTO people (tenant_id, platform_user_id, display_name, email, updated_at)
        SELECT @TenantId, m.user_id, m.name, m.email, @Now
        FROM unnest(@UserIds, @Names, @Emails) AS m(user_id, name, email)
        ON CONFLICT (tenant_id, platform_user_id) DO UPDATE
        SET display_name = CASE WHEN EXCLUDED.display_name <> '' THEN EXCLUDED.display_name ELSE people.display_name END,
            email        = coalesce(EXCLUDED.email, people.email),
            updated_at   = EXCLUDED.updated_at
        WHERE (EXCLUDED.display_name <> '' AND EXCLUDED.display_name <> people.display_name)
           OR (EXCLUDED.email IS NOT NULL AND EXCLUDED.email IS DISTINCT FROM people.email)
        """;

    private const string Ids = """
        SELECT id, platform_user_id FROM people WHERE tenant_id = @TenantId AND platform_user_id = ANY(@UserIds)
        """;

    private sealed record Known(long Id, string PlatformUserId);

    private sealed record Person(string UserId, string Name, string? Email, string? Zone);

    /// <summary>Reads the whole directory and stores its people; Slack's error (never the token) when it would not list it.</summary>
    public async Task<SlackPeopleRead> SyncAsync(long tenantId, string token, CancellationToken ct)
    {
        var listing = await pages.ReadAllAsync("users.list", "members", (cursor, c) => api.UsersListAsync(token, cursor, PageSize, c), ct);
        if (!listing.Ok)
        {
            logger.LogWarning("users.list failed for tenant {TenantId}: {Error}", tenantId, listing.Error);
            return SlackPeopleRead.Failed(listing.Error!);
        }

        var people = new List<Person>();
        var notPeople = new HashSet<string>(StringComparer.Ordinal) { SlackBot };
        foreach (var member in listing.Items)
        {
            if (SlackJson.String(member, "id") is not { Length: > 0 } id)
            {
                continue;
            }

            if (True(member, "is_bot") || True(member, "deleted") || id == SlackBot)
            {
                notPeople.Add(id);
                continue;
            }

            var name = SlackJson.String(member, "profile", "real_name") is { Length: > 0 } real ? real : SlackJson.String(member, "real_name") ?? SlackJson.String(member, "name") ?? "";
            people.Add(new Person(id, name, SlackJson.String(member, "profile", "email"), SlackJson.String(member, "tz")));
        }

        var now = time.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(Upsert, new
        {
            TenantId = tenantId,
            UserIds = people.Select(p => p.UserId).ToArray(),
            Names = people.Select(p => p.Name).ToArray(),
            Emails = people.Select(p => p.Email).ToArray(),
            Now = now,
        }, transaction, cancellationToken: ct));

        var known = (await connection.QueryAsync<Known>(new CommandDefinition(Ids,
            new { TenantId = tenantId, UserIds = people.Select(p => p.UserId).ToArray() }, transaction, cancellationToken: ct)))
            .ToDictionary(k => k.PlatformUserId, k => k.Id, StringComparer.Ordinal);
        var facts = people
            .Where(p => Zones.ToIana(p.Zone) is not null)
            .Select(p => new PersonFact(known[p.UserId], PersonFacts.TimeZone, PersonFacts.Platform, Zones.ToIana(p.Zone)!))
            .ToList();
        await PersonFacts.WriteAsync(connection, transaction, facts, now, ct);
        await transaction.CommitAsync(ct);
        return new SlackPeopleRead(people.Count, notPeople, null);
    }

    private static bool True(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.True;
}
