using System.Text.Json;
using AlignmentBot.Scheduler.People;
using Dapper;
using Npgsql;

namespace AlignmentBot.Bot.Slack;

/// <summary>
/// The workspace directory from <c>users.list</c> (every page, <see cref="PageSize"/> at a time): people with their
/// name, e-mail and IANA time zone (<c>tz</c>, the zone pulses are sent in), in the shared people table. Bots,
/// Slackbot and deleted accounts are skipped; a deleted account already known is made inactive (nothing more is
/// sent to it). Zone and active are what the platform says (<see cref="PersonFacts.Platform"/>): the HR file, Graph or
/// the person's own <c>timezone</c> choice still win over them.
/// </summary>
public sealed class SlackPeopleSync(NpgsqlDataSource dataSource, SlackWebApi api, TimeProvider time, ILogger<SlackPeopleSync> logger)
{
    public const int PageSize = 200;

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

    /// <summary>Reads the whole directory; the number of people stored, or null when Slack would not list it.</summary>
    public async Task<int?> SyncAsync(long tenantId, string token, CancellationToken ct)
    {
        var people = new List<Person>();
        var deleted = new List<string>();
        string? cursor = null;
        do
        {
            var page = await api.UsersListAsync(token, cursor, PageSize, ct);
            if (!page.Ok)
            {
                logger.LogWarning("users.list failed for tenant {TenantId}: {Error}", tenantId, page.Error);
                return null;
            }

            foreach (var member in SlackJson.Array(page.Body, "members"))
            {
                if (SlackJson.String(member, "id") is not { Length: > 0 } id || True(member, "is_bot") || id == "USLACKBOT")
                {
                    continue;
                }

                if (True(member, "deleted"))
                {
                    deleted.Add(id);
                    continue;
                }

                var name = SlackJson.String(member, "profile", "real_name") is { Length: > 0 } real ? real : SlackJson.String(member, "real_name") ?? SlackJson.String(member, "name") ?? "";
                people.Add(new Person(id, name, SlackJson.String(member, "profile", "email"), SlackJson.String(member, "tz")));
            }

            cursor = page.GetString("response_metadata", "next_cursor");
        }
        while (!string.IsNullOrEmpty(cursor));

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
            new { TenantId = tenantId, UserIds = people.Select(p => p.UserId).Concat(deleted).ToArray() }, transaction, cancellationToken: ct)))
            .ToDictionary(k => k.PlatformUserId, k => k.Id, StringComparer.Ordinal);
        var facts = new List<PersonFact>();
        foreach (var person in people)
        {
            facts.Add(new PersonFact(known[person.UserId], PersonFacts.Active, PersonFacts.Platform, PersonFacts.Bool(true)));
            if (Zones.ToIana(person.Zone) is { } zone)
            {
                facts.Add(new PersonFact(known[person.UserId], PersonFacts.TimeZone, PersonFacts.Platform, zone));
            }
        }

        facts.AddRange(deleted.Where(known.ContainsKey).Select(id => new PersonFact(known[id], PersonFacts.Active, PersonFacts.Platform, PersonFacts.Bool(false))));
        await PersonFacts.WriteAsync(connection, transaction, facts, now, ct);
        await transaction.CommitAsync(ct);
        return people.Count;
    }

    private static bool True(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.True;
}
