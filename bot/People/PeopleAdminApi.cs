using System.Text;
using System.Text.Json;
using AlignmentBot.Bot.Admin;
using AlignmentBot.Scheduler.Okrs.Import;
using AlignmentBot.Scheduler.People;
using AlignmentBot.Scheduler.People.Import;
using AlignmentBot.Scheduler.Tenants;
using Microsoft.Extensions.Options;

namespace AlignmentBot.Bot.People;

/// <summary>
/// Who is who, as the admin sets and reads it under <c>/admin/tenants/{platform}/{tenant}</c>: <c>POST people</c> (the
/// HR file, CSV or JSON, all or nothing like the OKR import), <c>GET people</c> (paged, by team and role), <c>GET teams</c>
/// (sizes and managers), <c>PUT leaders</c> and <c>PUT teams/{team}/managers</c>.
/// </summary>
public static class PeopleAdminApi
{
    /// <summary>Bodies for leaders and managers: a list of names (email, user id or Entra object id).</summary>
    public sealed record Names(IReadOnlyList<string>? Leaders, IReadOnlyList<string>? Managers);

    /// <summary>50,000 people with several teams each fit well under this; a bigger body is a mistake.</summary>
    public const int MaxImportBytes = 20 * 1024 * 1024;

    public static RouteGroupBuilder MapPeopleAdmin(this RouteGroupBuilder admin)
    {
        admin.MapPost($"{TenantAddress.Route}/people", async (string platform, string tenant, HttpRequest request, AdminRequest caller, PeopleImporter importer,
            IOptions<PeopleOptions> options, CancellationToken ct) =>
        {
            var (rows, unreadable) = await ReadRowsAsync(request.Body, request.ContentType, request.ContentLength, options.Value.MaxImportRows, ct);
            return unreadable ?? await ImportAsync(new TenantAddress(platform, tenant), rows!, caller, importer, ct);
        }).WithBodyLimit(MaxImportBytes);

        admin.MapGet($"{TenantAddress.Route}/people", async (string platform, string tenant, string? team, string? role, long? after, int? limit,
            PeopleAdminStore store, CancellationToken ct) =>
        {
            if (role is not (null or "member" or "manager" or "leader"))
            {
                return Results.ValidationProblem(new Dictionary<string, string[]> { ["role"] = ["is member, manager or leader."] }, title: "Bad filter");
            }

            var page = Math.Clamp(limit ?? 100, 1, 500);
            var people = await store.PeopleAsync(new TenantAddress(platform, tenant), team, role, after ?? 0, page, ct);
            return people is null ? NoTenant(platform, tenant)
                : Results.Ok(new { people, next = people.Count == page ? $"?after={people[^1].Id}&limit={page}" : null });
        });

        admin.MapGet($"{TenantAddress.Route}/teams", async (string platform, string tenant, PeopleAdminStore store, CancellationToken ct) =>
            await store.TeamsAsync(new TenantAddress(platform, tenant), ct) is { } teams ? Results.Ok(new { teams }) : NoTenant(platform, tenant));

        admin.MapPut($"{TenantAddress.Route}/leaders", async (string platform, string tenant, HttpRequest request, PeopleAdminStore store, CancellationToken ct) =>
            await SetAsync(request, names => names.Leaders, "leaders", list => store.SetLeadersAsync(new TenantAddress(platform, tenant), list, ct), NoTenant(platform, tenant), ct));

        admin.MapPut($"{TenantAddress.Route}/teams/{{team}}/managers", async (string platform, string tenant, string team, HttpRequest request,
            PeopleAdminStore store, CancellationToken ct) =>
            await SetAsync(request, names => names.Managers, "managers", list => store.SetTeamManagersAsync(new TenantAddress(platform, tenant), team, list, ct),
                Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such team", detail: $"No team \"{team}\" in {platform} tenant \"{tenant}\"."), ct));

        return admin;
    }

    private static async Task<IResult> SetAsync(HttpRequest request, Func<Names, IReadOnlyList<string>?> pick, string field,
        Func<IReadOnlyList<string>, Task<bool>> save, IResult notFound, CancellationToken ct)
    {
        var (body, malformed) = await AdminEndpoints.ReadJsonAsync<Names>(request, ct);
        if (malformed is not null)
        {
            return malformed;
        }

        if (pick(body!) is not { } names || names.Any(string.IsNullOrWhiteSpace))
        {
            return Results.ValidationProblem(new Dictionary<string, string[]> { [field] = [$"is a list of people (email, user id or Entra object id), e.g. {{\"{field}\": [\"ana@example.com\"]}}."] });
        }

        try
        {
            return await save(names) ? Results.Ok(new Dictionary<string, object> { [field] = names }) : notFound;
        }
        catch (PeopleAdminStore.UnknownPeopleException unknown)
        {
            return Results.ValidationProblem(new Dictionary<string, string[]> { [field] = [unknown.Message] }, title: "Unknown people; nothing was written");
        }
    }

    /// <summary>Imports the rows, all or nothing; a refused file is a 422 naming each line and why. The admin console calls this too.</summary>
    public static async Task<IResult> ImportAsync(TenantAddress tenant, IReadOnlyList<PersonRow> rows, AdminRequest caller, PeopleImporter importer, CancellationToken ct)
    {
        try
        {
            var outcome = await importer.ImportAsync(tenant, rows, ct);
            caller.ChangedNothing = outcome is { PeopleChanged: 0, MembershipsChanged: 0 };
            caller.Outcome = outcome;
            return Results.Ok(outcome);
        }
        catch (PeopleImporter.RefusedException refused)
        {
            return Results.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "Import refused; nothing was written",
                detail: $"{refused.Problems.Count} row{(refused.Problems.Count == 1 ? " has a problem" : "s have problems")}. Fix them and send the whole file again.",
                extensions: new Dictionary<string, object?> { ["rows"] = refused.Problems.Select(p => new { where = p.Where, line = p.Line, reason = p.Reason }).ToArray() });
        }
        catch (KeyNotFoundException missing)
        {
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such tenant", detail: missing.Message);
        }
    }

    /// <summary>The people file as rows (CSV or JSON by its media type), or the problem that it cannot be read. The admin console calls this too.</summary>
    public static async Task<(IReadOnlyList<PersonRow>? Rows, IResult? Problem)> ReadRowsAsync(Stream body, string? contentType, long? length, int maxRows, CancellationToken ct)
    {
        if (length > MaxImportBytes)
        {
            return (null, Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "File too large", detail: $"Send at most {MaxImportBytes / 1024 / 1024} MB."));
        }

        var mediaType = contentType?.Split(';')[0].Trim().ToLowerInvariant();
        try
        {
            if (mediaType is "text/csv" or "application/csv")
            {
                using var reader = new StreamReader(body, Encoding.UTF8);
                return (PeopleFileReader.ReadCsv(await reader.ReadToEndAsync(ct), maxRows), null);
            }

            if (mediaType is "application/json" or null)
            {
                using var document = await JsonDocument.ParseAsync(body, cancellationToken: ct);
                return (PeopleFileReader.ReadJson(document.RootElement, maxRows), null);
            }

            return (null, Results.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported file type",
                detail: $"Send the people as text/csv or application/json, not {mediaType}."));
        }
        catch (JsonException ex)
        {
            return (null, Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Malformed JSON",
                detail: $"The body is not valid JSON (line {ex.LineNumber + 1}, position {ex.BytePositionInLine + 1})."));
        }
        catch (ImportFormatException ex)
        {
            return (null, Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The file cannot be read", detail: ex.Message));
        }
    }

    private static IResult NoTenant(string platform, string tenant) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such tenant", detail: $"No {platform} tenant \"{tenant}\" is known (the app must be installed there first).");
}
