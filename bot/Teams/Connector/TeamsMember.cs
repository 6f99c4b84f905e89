namespace AlignmentBot.Bot.Teams.Connector;

/// <summary>
/// A member of a team or conversation as the Bot Connector lists it. Teams no longer returns email or
/// UPN to most bots; they are kept when present.
/// </summary>
public sealed record TeamsMember
{
    /// <summary>The Teams user id (<c>29:...</c>) to create a 1:1 conversation with.</summary>
    public string Id { get; init; } = "";
    public string? AadObjectId { get; init; }
    public string? Name { get; init; }
    public string? Email { get; init; }
    public string? UserPrincipalName { get; init; }
    public string? TenantId { get; init; }
    /// <summary>"user" or "guest", when Teams says.</summary>
    public string? UserRole { get; init; }
}

/// <summary>One page of <c>GET /v3/conversations/{id}/pagedmembers</c>; no continuation token on the last page.</summary>
public sealed record TeamsMembersPage(IReadOnlyList<TeamsMember> Members, string? ContinuationToken);
