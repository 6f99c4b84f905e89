using AlignmentBot.Bot.Admin;
using AlignmentBot.Scheduler.Pulses;
using AlignmentBot.Scheduler.Tenants;

namespace AlignmentBot.Bot.Pulses;

/// <summary>
/// <c>/admin/surveys</c>: list, create, replace a survey; open a run now; <c>/admin/runs/{id}/close</c>: close a run now. Invalid bodies get a 400
/// validation problem listing every problem by field (RFC 7807).
/// </summary>
public static class SurveyAdminApi
{
    public static RouteGroupBuilder MapSurveyAdmin(this RouteGroupBuilder admin)
    {
        // ?tenant=<id>[&platform=teams|slack] lists one tenant's surveys (a tenant key: its own, without asking).
        admin.MapGet("/surveys", async (string? tenant, string? platform, AdminRequest caller, SurveyStore store, CancellationToken ct) =>
            caller.TryLimit(tenant, platform, out var only)
                ? Results.Ok(await store.ListAsync(only is null ? null : new TenantAddress(platform ?? caller.Caller.Platform ?? TenantAddress.Teams, only), null, ct))
                : Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Not your tenant", detail: $"The {caller.Caller.Name} lists only its own tenant's surveys."))
            .ForTenantOf(AdminResource.CheckedByHandler);

        admin.MapGet("/surveys/{id:long}", async (long id, SurveyStore store, CancellationToken ct) =>
            (await store.ListAsync(null, id, ct)) is [var survey] ? Results.Ok(survey) : NotFound(id)).ForTenantOf(AdminResource.Survey);

        admin.MapPost("/surveys", async (HttpRequest request, AdminRequest caller, SurveyStore store, PulseSchedule schedule, CancellationToken ct) =>
            await SaveAsync(request, caller, store, schedule, id: null, ct)).ForTenantOf(AdminResource.CheckedByHandler);

        admin.MapPut("/surveys/{id:long}", async (long id, HttpRequest request, AdminRequest caller, SurveyStore store, PulseSchedule schedule, CancellationToken ct) =>
            await SaveAsync(request, caller, store, schedule, id, ct)).ForTenantOf(AdminResource.Survey);

        admin.MapPost("/surveys/{id:long}/runs", (long id, PulseRunOpener opener, TimeProvider time, CancellationToken ct) =>
            OpenRunAsync(id, opener, time, ct)).ForTenantOf(AdminResource.Survey);

        admin.MapGet("/surveys/{id:long}/runs", async (long id, RunCloser runs, CancellationToken ct) =>
            Results.Ok(await runs.RunsAsync(id, ct))).ForTenantOf(AdminResource.Survey);

        admin.MapPut($"{TenantAddress.Route}/default-pulse", async (string platform, string tenant, HttpRequest request, SurveyStore store, CancellationToken ct) =>
        {
            var (body, malformed) = await AdminEndpoints.ReadJsonAsync<DefaultPulseSetting>(request, ct);
            if (malformed is not null)
            {
                return malformed;
            }

            return await SetDefaultPulseAsync(new TenantAddress(platform, tenant), body!.Enabled, store, ct);
        });

        admin.MapPost("/runs/{id:long}/close", (long id, RunCloser closer, TimeProvider time, CancellationToken ct) =>
            CloseRunAsync(id, closer, time, ct)).ForTenantOf(AdminResource.Run);

        return admin;
    }

    private static async Task<IResult> SaveAsync(HttpRequest request, AdminRequest caller, SurveyStore store, PulseSchedule schedule, long? id, CancellationToken ct)
    {
        var (survey, malformed) = await AdminEndpoints.ReadJsonAsync<SurveyDefinition>(request, ct);
        return malformed ?? await SaveAsync(survey!, caller, store, schedule, id, ct);
    }

    /// <summary>Creates (<paramref name="id"/> null) or replaces a survey and schedules it; the admin console calls this too.</summary>
    public static async Task<IResult> SaveAsync(SurveyDefinition survey, AdminRequest caller, SurveyStore store, PulseSchedule schedule, long? id, CancellationToken ct)
    {
        survey = survey with { Id = id };
        if (!caller.Allows(survey.Platform, survey.Tenant))
        {
            return Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Not your tenant", detail: $"The {caller.Caller.Name} may create and change only its own tenant's surveys.");
        }

        var problems = SurveyValidation.Problems(survey);
        if (problems.Count > 0)
        {
            return Results.ValidationProblem(problems, title: "The survey has problems");
        }

        try
        {
            var saved = await store.SaveAsync(survey, defaultForTeam: null, ct);
            caller.Subject ??= $"survey {saved}";
            var stored = (await store.ListAsync(null, saved, ct))[0];
            await schedule.ApplyAsync(stored, await store.TenantTimeZoneAsync(new TenantAddress(stored.Platform, stored.Tenant), ct), ct);
            return id is null ? Results.Created($"/admin/surveys/{saved}", stored) : Results.Ok(stored);
        }
        catch (SurveyStore.RefusedException refused)
        {
            return Results.ValidationProblem(new Dictionary<string, string[]> { [refused.Field] = [refused.Message] }, title: "The survey has problems");
        }
        catch (KeyNotFoundException)
        {
            return NotFound(id!.Value);
        }
    }

    /// <summary>Opens a run of the survey now; a run not sent is a 422 naming the reason the opener recorded.</summary>
    public static async Task<IResult> OpenRunAsync(long id, PulseRunOpener opener, TimeProvider time, CancellationToken ct)
    {
        try
        {
            var opening = await opener.OpenAsync(id, time.GetUtcNow(), ct);
            return opening.NotSentReason is { } reason
                ? Results.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "Run not sent", detail: reason,
                    extensions: new Dictionary<string, object?> { ["runId"] = opening.RunId })
                : Results.Created($"/admin/runs/{opening.RunId}", opening);
        }
        catch (KeyNotFoundException)
        {
            return NotFound(id);
        }
    }

    /// <summary>Closes an open run now; a run not open is a 409.</summary>
    public static async Task<IResult> CloseRunAsync(long id, RunCloser closer, TimeProvider time, CancellationToken ct)
    {
        if (await closer.CloseNowAsync(id, time.GetUtcNow(), ct))
        {
            return Results.Ok(new { runId = id, status = "closed" });
        }

        return await closer.StatusAsync(id, ct) is { } status
            ? Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Run not open", detail: $"Run {id} is {status}; only an open run can be closed.")
            : Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such run", detail: $"There is no run {id}.");
    }

    /// <summary>Turns the tenant's default pulse on or off.</summary>
    public static async Task<IResult> SetDefaultPulseAsync(TenantAddress tenant, bool enabled, SurveyStore store, CancellationToken ct) =>
        await store.SetDefaultPulseAsync(tenant, enabled, ct)
            ? Results.Ok(new { platform = tenant.Platform, tenant = tenant.ExternalId, defaultPulse = enabled })
            : Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such tenant", detail: $"No {tenant.Platform} tenant \"{tenant.ExternalId}\" is known (the app must be installed there first).");

    private static IResult NotFound(long id) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such survey", detail: $"There is no survey {id}.");
}

/// <summary>Body of <c>PUT /admin/tenants/{platform}/{tenant}/default-pulse</c>.</summary>
public sealed record DefaultPulseSetting(bool Enabled);
