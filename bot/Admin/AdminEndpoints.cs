using System.Text.Json;
using AlignmentBot.Bot.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace AlignmentBot.Bot.Admin;

public static class AdminEndpoints
{
    /// <summary>The admin API's services, and its listener added to the bot's own (<c>--urls</c>) when a key is set.</summary>
    public static WebApplicationBuilder AddAdmin(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<AdminOptions>().BindConfiguration(AdminOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AdminOptions>, AdminOptionsValidator>();
        services.AddSingleton<AdminListener>();
        services.AddSingleton<AdminAccess>();
        services.AddSingleton<AdminAudit>();
        services.AddSingleton<FailedKeyLimiter>();
        services.TryAddSingleton<AuthFailureLog>();
        services.AddSingleton<AdminGate>();
        services.AddProblemDetails();

        var options = builder.Configuration.GetSection(AdminOptions.Section).Get<AdminOptions>() ?? new AdminOptions();
        var urls = builder.Configuration[WebHostDefaults.ServerUrlsKey];
        services.AddSingleton(new PublicUrls(urls));
        if (options.Enabled && !string.IsNullOrWhiteSpace(options.Urls) && !string.IsNullOrWhiteSpace(urls))
        {
            builder.WebHost.UseUrls($"{urls};{options.Urls}");
        }

        return builder;
    }

    /// <summary>The <c>/admin</c> route group, behind <see cref="AdminGate"/>; features add their endpoints to it.</summary>
    public static RouteGroupBuilder MapAdmin(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/admin").AddEndpointFilter<AdminGate>();
        admin.MapGet("/audit", async (string? tenant, string? platform, long? before, int? limit, AdminRequest request, AdminAudit audit, CancellationToken ct) =>
        {
            if (!request.TryLimit(tenant, platform, out var only))
            {
                return Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Not your tenant", detail: $"The {request.Caller.Name} reads only its own tenant's audit trail.");
            }

            // A tenant key reads its own platform's tenant; the global key, a tenant on the platform asked for (any, if none).
            var onPlatform = only is null ? null : platform ?? request.Caller.Platform;
            var page = await audit.PageAsync(onPlatform, only, before, limit ?? 50, ct);
            var next = page.Count == 0 ? null
                : $"/admin/audit?before={page[^1].Id}{(only is null ? "" : $"&tenant={Uri.EscapeDataString(only)}")}{(onPlatform is null ? "" : $"&platform={Uri.EscapeDataString(onPlatform)}")}";
            return Results.Ok(new { entries = page, next });
        }).ForTenantOf(AdminResource.CheckedByHandler);
        return admin;
    }

    /// <summary>Declares which tenant an admin endpoint acts on, for <see cref="AdminAccess"/>.</summary>
    public static TBuilder ForTenantOf<TBuilder>(this TBuilder endpoint, AdminResource resource) where TBuilder : IEndpointConventionBuilder =>
        endpoint.WithMetadata(new AdminScopeMetadata(resource));

    /// <summary>A larger body than <see cref="AdminGate.DefaultBodyLimit"/> for this endpoint (an import).</summary>
    public static TBuilder WithBodyLimit<TBuilder>(this TBuilder endpoint, long bytes) where TBuilder : IEndpointConventionBuilder =>
        endpoint.WithMetadata(new AdminBodyLimitMetadata(bytes));

    /// <summary>Reads a JSON body; a malformed one becomes a 400 problem naming where it broke.</summary>
    public static async Task<(T? Value, IResult? Problem)> ReadJsonAsync<T>(HttpRequest request, CancellationToken ct)
    {
        try
        {
            var value = await JsonSerializer.DeserializeAsync<T>(request.Body, JsonSerializerOptions.Web, ct);
            return value is null
                ? (default, Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Empty body", detail: "Send a JSON object."))
                : (value, null);
        }
        catch (JsonException ex)
        {
            return (default, Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Malformed JSON",
                detail: $"The body is not valid JSON for this request{(ex.Path is null ? "" : $" (at {ex.Path}, line {ex.LineNumber + 1})")}."));
        }
    }
}
