using System.Globalization;
using System.Text.RegularExpressions;
using AlignmentBot.Bot.Hosting;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace AlignmentBot.Bot.Admin;

/// <summary>
/// Every <c>/admin</c> request passes here, in order: only on the admin listener (else 404, as if there were no such
/// route); only while an address has wrong keys to spare (else 429); only with a known <c>X-Api-Key</c> (else 401);
/// only on a tenant the key may use (<see cref="AdminAccess"/>); with a body no larger than the endpoint allows, counted
/// as it arrives (413); and every successful change is written to the audit trail.
/// </summary>
public sealed partial class AdminGate(
    IOptions<AdminOptions> options, AdminListener listener, FailedKeyLimiter failures, AdminAccess access, AdminAudit audit,
    AuthFailureLog failureLog) : IEndpointFilter
{
    public const string Header = "X-Api-Key";

    /// <summary>An admin body unless the endpoint says otherwise: surveys and settings are a few kilobytes.</summary>
    public const long DefaultBodyLimit = 256 * 1024;

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (!listener.Accepts(http.Connection))
        {
            // The public port does not reveal that an admin API exists at all.
            return Results.NotFound();
        }

        if (!options.Value.Enabled)
        {
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "The admin API is off",
                detail: $"Set {AdminOptions.Section}:{nameof(AdminOptions.ApiKey)} (or {AdminOptions.Section}:{nameof(AdminOptions.TenantKeys)} / {nameof(AdminOptions.SlackWorkspaceKeys)}) to turn it on.");
        }

        if (failures.LockedOut(http.Connection.RemoteIpAddress) is { } wait)
        {
            http.Response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            return Results.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many wrong keys",
                detail: $"Too many wrong admin keys from this address; try again in {Math.Ceiling(wait.TotalSeconds)} s.");
        }

        if (access.Identify(http.Request.Headers[Header].ToString()) is not { } caller)
        {
            failures.Failed(http.Connection.RemoteIpAddress);
            failureLog.Failed("admin", $"wrong or missing {Header} from {http.Connection.RemoteIpAddress}");
            return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized", detail: $"Send an admin API key in the {Header} header.");
        }

        var request = AdminRequest.Of(http);
        request.Caller = caller;
        if (await RefusedAsync(http, request) is { } refused)
        {
            return refused;
        }

        var endpoint = http.GetEndpoint();
        var limit = endpoint?.Metadata.GetMetadata<AdminBodyLimitMetadata>()?.Bytes ?? DefaultBodyLimit;
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = limit;
        }

        object? result;
        try
        {
            result = await next(context);
        }
        catch (BadHttpRequestException tooLarge) when (tooLarge.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            // The server stopped reading mid-body (a chunked body carries no length to refuse up front); nothing was written.
            return Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Body too large",
                detail: $"This endpoint reads at most {limit / 1024} KB.");
        }

        if (!HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method)
            && !request.ChangedNothing && result is IStatusCodeHttpResult { StatusCode: >= 200 and < 300 } done)
        {
            var route = (endpoint as RouteEndpoint)?.RoutePattern.RawText is { } pattern ? Readable(pattern) : http.Request.Path.ToString();
            object details = request.Outcome is { } outcome ? new { status = done.StatusCode, outcome } : new { status = done.StatusCode };
            await audit.RecordAsync(request, $"{http.Request.Method} {route}", request.Subject, details, http.RequestAborted);
        }

        return result;
    }

    /// <summary>The tenant the endpoint acts on, checked against the caller; null when allowed.</summary>
    private async Task<IResult?> RefusedAsync(HttpContext http, AdminRequest request)
    {
        var declared = http.GetEndpoint()?.Metadata.GetMetadata<AdminScopeMetadata>()?.Resource;
        var tenant = http.Request.RouteValues.TryGetValue("tenant", out var t) ? t?.ToString() : http.Request.Query["tenant"].ToString() is { Length: > 0 } q ? q : null;
        var resource = declared ?? (tenant is not null ? AdminResource.Tenant : null);
        if (resource == AdminResource.CheckedByHandler)
        {
            return null;
        }

        var value = resource == AdminResource.Tenant ? tenant : http.Request.RouteValues.TryGetValue("id", out var id) ? id?.ToString() : null;
        if (resource is null || value is null)
        {
            // An endpoint that names no tenant is for the global key alone: a new endpoint stays closed until it says.
            return request.Caller.SeesEveryTenant ? null : Forbidden(request.Caller);
        }

        var platform = http.Request.RouteValues.TryGetValue("platform", out var p) ? p?.ToString() : http.Request.Query["platform"].ToString() is { Length: > 0 } qp ? qp : null;
        var decision = await access.DecideAsync(request.Caller, resource.Value, value, platform, http.RequestAborted);
        if (!decision.Allowed)
        {
            return decision.RefusedStatus == StatusCodes.Status404NotFound ? Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found")
                : Forbidden(request.Caller);
        }

        request.TenantId = decision.TenantId;
        request.Tenant ??= resource == AdminResource.Tenant ? value : null;
        request.Platform ??= resource == AdminResource.Tenant ? platform ?? request.Caller.Platform : null;
        request.Subject ??= resource == AdminResource.Tenant ? null : $"{resource.Value.ToString().ToLowerInvariant()} {value}";
        return null;
    }

    /// <summary>A route as the audit shows it: <c>{platform:regex(...)}</c> becomes <c>{platform}</c>.</summary>
    private static string Readable(string pattern) => RouteConstraint().Replace(pattern, "{$1}");

    [GeneratedRegex(@"\{(\w+):[^}]*\}")]
    private static partial Regex RouteConstraint();

    private static IResult Forbidden(AdminCaller caller) =>
        Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Not your tenant",
            detail: $"The {caller.Name} may use only its own tenant; this needs that tenant's key or the global key.");
}
