namespace AlignmentBot.Bot.Admin;

/// <summary>
/// What an admin endpoint's <c>{id}</c> or <c>{tenant}</c> names, so that the one access rule can find the tenant it
/// belongs to. An endpoint without it (and without a <c>{tenant}</c> in its route) is for the global key only.
/// </summary>
public enum AdminResource
{
    /// <summary>The route's or query's <c>tenant</c> (an external tenant id).</summary>
    Tenant,
    Survey,
    Run,
    Team,

    /// <summary>The tenant is in the body or a filter: the handler asks <see cref="AdminRequest.Allows"/> itself.</summary>
    CheckedByHandler,
}
