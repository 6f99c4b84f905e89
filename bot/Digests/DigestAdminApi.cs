using AlignmentBot.Bot.Admin;
using AlignmentBot.Scheduler.Digests;
using AlignmentBot.Scheduler.Tenants;

namespace AlignmentBot.Bot.Digests;

/// <summary>
/// <c>PUT /admin/tenants/{platform}/{tenant}/digest</c> (day, time, leaders' channel) and <c>PUT /admin/teams/{id}/digest</c>
/// (the team's own day and time, or off). Malformed JSON is a 400; invalid values a validation problem by field.
/// </summary>
public static class DigestAdminApi
{
    private const string Invalid = "The digest settings have problems";

    public static RouteGroupBuilder MapDigestAdmin(this RouteGroupBuilder admin)
    {
        admin.MapPut($"{TenantAddress.Route}/digest", async (string platform, string tenant, HttpRequest request, DigestSettingsStore store, CancellationToken ct) =>
        {
            var (settings, malformed) = await AdminEndpoints.ReadJsonAsync<TenantDigestSettings>(request, ct);
            if (malformed is not null)
            {
                return malformed;
            }

            return await SaveAsync(new TenantAddress(platform, tenant), settings!, store, ct);
        });

        admin.MapPut("/teams/{id:long}/digest", async (long id, HttpRequest request, DigestSettingsStore store, CancellationToken ct) =>
        {
            var (settings, malformed) = await AdminEndpoints.ReadJsonAsync<TeamDigestSettings>(request, ct);
            if (malformed is not null)
            {
                return malformed;
            }

            var problems = DigestSettingsStore.Problems(settings!.Day, settings.Time);
            if (problems.Count > 0)
            {
                return Results.ValidationProblem(problems, title: Invalid);
            }

            return await store.SaveAsync(id, settings, ct)
                ? Results.Ok(settings)
                : Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such team", detail: $"There is no team {id}.");
        }).ForTenantOf(AdminResource.Team);

        return admin;
    }

    /// <summary>Saves a tenant's digest day, time and leaders' channel; every bad field a validation problem. The admin console calls this too.</summary>
    public static async Task<IResult> SaveAsync(TenantAddress tenant, TenantDigestSettings settings, DigestSettingsStore store, CancellationToken ct)
    {
        var problems = DigestSettingsStore.Problems(settings.Day, settings.Time);
        foreach (var (field, value) in new[] { ("day", settings.Day), ("time", settings.Time) })
        {
            if (value is null)
            {
                problems[field] = ["A tenant's digest needs a day and a time."];
            }
        }

        if (problems.Count > 0)
        {
            return Results.ValidationProblem(problems, title: Invalid);
        }

        try
        {
            return await store.SaveAsync(tenant, settings, ct)
                ? Results.Ok(settings)
                : Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such tenant", detail: $"No {tenant.Platform} tenant \"{tenant.ExternalId}\" is known (the app must be installed there first).");
        }
        catch (KeyNotFoundException unknown)
        {
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["leadersChannel"] = [unknown.Message] }, title: Invalid);
        }
    }
}
