using AlignmentBot.Bot.Directory;

namespace AlignmentBot.Bot.Delivery;

/// <summary>
/// What a platform says about a tenant's teams now: the whole member list of each team it could read (a team absent
/// here could not be read, and keeps its members). <see cref="Skipped"/> says why none was read (no token, the token
/// refused...), in words fit for a log line: never a token.
/// </summary>
public sealed record TenantRoster(IReadOnlyDictionary<long, IReadOnlyList<Member>> Teams, string? Skipped = null)
{
    public static TenantRoster Unread(string why) => new(new Dictionary<long, IReadOnlyList<Member>>(), why);
}
