using System.Globalization;
using AlignmentBot.Scheduler.Okrs.Import;
using AlignmentBot.Scheduler.Tenants;
using Dapper;
using Npgsql;

namespace AlignmentBot.Scheduler.People.Import;

/// <summary>What an import did: people whose effective values changed, memberships changed, rows naming people not met yet.</summary>
public sealed record PeopleImportOutcome(int Rows, int PeopleChanged, int MembershipsChanged, IReadOnlyList<int> NotYetKnownLines);

/// <summary>
/// Imports the organisation's people file (source "file": it beats Microsoft Graph and the platform, and loses only to
/// a person's own choice in chat), all or nothing: any bad row refuses the whole file and nothing is written; the same
/// file again writes nothing.
/// </summary>
public sealed class PeopleImporter(NpgsqlDataSource dataSource, TimeProvider time)
{
    public sealed class RefusedException(IReadOnlyList<ImportProblem> problems)
        : Exception($"The people file has {problems.Count} problem(s); nothing was written.")
    {
        public IReadOnlyList<ImportProblem> Problems { get; } = problems;
    }

    private const string SelectTenant = "SELECT id FROM tenants WHERE platform = @Platform AND external_id = @Tenant";

    private const string SelectPeople = """
        SELECT id, manager_id, lower(platform_user_id) AS user_id, lower(email) AS email, lower(aad_object_id) AS aad_object_id
        FROM people WHERE tenant_id = @TenantId
        """;

    private const string SelectTeams = """
        SELECT lower(name) AS key, id FROM teams WHERE tenant_id = @TenantId
        UNION ALL SELECT lower(external_id), id FROM teams WHERE tenant_id = @TenantId AND external_id IS NOT NULL
        """;

    private sealed record PersonKeys(long Id, long? ManagerId, string UserId, string? Email, string? AadObjectId);

    public async Task<PeopleImportOutcome> ImportAsync(TenantAddress tenant, IReadOnlyList<PersonRow> rows, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var tenantId = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(SelectTenant, tenant.Args, cancellationToken: ct))
            ?? throw new KeyNotFoundException($"No {tenant} is known (the app must be installed there first).");

        await using var transaction = await connection.BeginTransactionAsync(ct);
        // One people import per tenant at a time: two uploads cannot interleave their facts.
        await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_xact_lock(hashtext('people-import'), @TenantId::int)", new { TenantId = tenantId }, transaction, cancellationToken: ct));
        var directory = await DirectoryAsync(connection, transaction, tenantId, ct);
        var (plan, problems) = PeopleValidator.Check(rows, directory);
        if (plan is null)
        {
            throw new RefusedException(problems);
        }

        var now = time.GetUtcNow();
        var changed = await PersonFacts.WriteAsync(connection, transaction, Facts(plan), now, ct);
        var memberships = await TeamRoles.ReplaceFileMembershipsAsync(connection, transaction,
            [.. plan.People.Where(p => p.Teams is not null).Select(p => (p.PersonId, p.Teams!))], now, ct);
        var outcome = new PeopleImportOutcome(rows.Count, changed.Count, memberships, plan.NotYetKnownLines);
        // Audited by the admin gate, with this outcome, in one row per import (and none when nothing changed).
        await transaction.CommitAsync(ct);
        return outcome;
    }

    private static List<PersonFact> Facts(PeoplePlan plan)
    {
        var facts = new List<PersonFact>();
        foreach (var p in plan.People)
        {
            void Say(string field, string? value) => facts.Add(new PersonFact(p.PersonId, field, PersonFacts.File, value));
            if (p.ManagerSaid)
            {
                Say(PersonFacts.Manager, p.ManagerId?.ToString(CultureInfo.InvariantCulture));
            }

            if (p.TimeZone is { } zone)
            {
                Say(PersonFacts.TimeZone, zone);
            }

            foreach (var (field, value) in new[] { (PersonFacts.Leader, p.Leader), (PersonFacts.Active, p.Active), (PersonFacts.OptedOut, p.OptedOut) })
            {
                if (value is { } said)
                {
                    Say(field, PersonFacts.Bool(said));
                }
            }
        }

        return facts;
    }

    private static async Task<PeopleDirectory> DirectoryAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long tenantId, CancellationToken ct)
    {
        var people = new Dictionary<string, long>(StringComparer.Ordinal);
        var managers = new Dictionary<long, long?>();
        foreach (var p in await connection.QueryAsync<PersonKeys>(new CommandDefinition(SelectPeople, new { TenantId = tenantId }, transaction, cancellationToken: ct)))
        {
            managers[p.Id] = p.ManagerId;
            people[p.UserId] = p.Id;
            foreach (var key in new[] { p.Email, p.AadObjectId })
            {
                if (key is not null)
                {
                    people.TryAdd(key, p.Id);
                }
            }
        }

        var teams = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (key, id) in await connection.QueryAsync<(string Key, long Id)>(new CommandDefinition(SelectTeams, new { TenantId = tenantId }, transaction, cancellationToken: ct)))
        {
            teams.TryAdd(key, id);
        }

        return new PeopleDirectory(people, managers, teams);
    }
}
