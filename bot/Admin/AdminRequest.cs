using System.Reflection;

namespace AlignmentBot.Bot.Admin;

/// <summary>
/// The admin caller of this request and the tenant it acts on (for the audit trail). Set by <see cref="AdminGate"/>;
/// handlers take it as a parameter.
/// </summary>
public sealed class AdminRequest
{
    /// <summary>Until the gate names the caller: one who may use no tenant at all.</summary>
    public AdminCaller Caller { get; internal set; } = AdminCaller.Nobody;

    /// <summary>The tenant acted on, when known (its internal id).</summary>
    public long? TenantId { get; set; }

    /// <summary>The tenant acted on by its external id, when a handler learned it from the body.</summary>
    public string? Tenant { get; set; }

    /// <summary>The platform of <see cref="Tenant"/> ("teams" or "slack"), when the route or body named it.</summary>
    public string? Platform { get; set; }

    /// <summary>What was changed, for the audit trail (e.g. "survey 12"); a handler that creates something names it.</summary>
    public string? Subject { get; set; }

    /// <summary>
    /// Set by a handler whose request succeeded but changed nothing (the same file sent again): there is no change to
    /// audit, and a re-sent file must leave every table as it was.
    /// </summary>
    public bool ChangedNothing { get; set; }

    /// <summary>What the change amounted to (e.g. an import's counts), kept in the gate's audit row beside the status: one row per change.</summary>
    public object? Outcome { get; set; }

    /// <summary>The handler's check for a tenant named in a body or filter; remembers it for the audit trail.</summary>
    public bool Allows(string? platform, string tenant)
    {
        Tenant ??= tenant;
        Platform ??= platform;
        return Caller.May(platform, tenant);
    }

    /// <summary>The tenant a list is limited to: the caller's own for a tenant key (which may not ask for another).</summary>
    public bool TryLimit(string? asked, string? platform, out string? tenant)
    {
        tenant = asked ?? Caller.Tenant;
        return asked is null || Caller.May(platform, asked);
    }

    /// <summary>This request's, shared by the gate and the handler (parameters are bound before filters run).</summary>
    internal static AdminRequest Of(HttpContext context)
    {
        if (context.Features.Get<AdminRequest>() is not { } request)
        {
            context.Features.Set(request = new AdminRequest());
        }

        return request;
    }

    /// <summary>Minimal API binding: a handler parameter of this type carries the gate's verdict.</summary>
    public static ValueTask<AdminRequest?> BindAsync(HttpContext context, ParameterInfo parameter) => ValueTask.FromResult<AdminRequest?>(Of(context));
}
