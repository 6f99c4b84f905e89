using System.Collections.Concurrent;

namespace AlignmentBot.Bot.Directory;

/// <summary>A person's row as the inbound path compares it with an activity; <c>PlatformZone</c> is the zone their client last reported.</summary>
public sealed record PersonState(long Id, string? AadObjectId, string DisplayName, bool Active, string? PlatformZone = null);

/// <summary>
/// What the database held for a tenant, a person and a conversation a moment ago, so that the same people
/// clicking and typing again cost no database round trip. Entries live <see cref="Lifetime"/>: this
/// process forgets an entry whenever it changes that row itself (removal, roster, a created chat), and a
/// change made by another instance (e.g. it found a conversation blocked) is seen at the latest after
/// the lifetime — until then an activity there does not mark it reachable again, which the next
/// activity after the lifetime does. Nothing here is a source of truth: a miss reads the database.
/// </summary>
public sealed class DirectoryCache(TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);

    // A bound, not a policy: far above the people active in one instance within a lifetime.
    private const int MaxEntries = 100_000;

    private readonly record struct Entry<T>(T Value, DateTimeOffset Until);

    private readonly ConcurrentDictionary<string, Entry<long>> _tenants = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(long TenantId, string UserId), Entry<PersonState>> _people = new();
    private readonly ConcurrentDictionary<(long TenantId, string ConversationId), Entry<ConversationRow>> _conversations = new();

    public long? Tenant(string externalId) => Fresh(_tenants, externalId, out var id) ? id : null;

    public PersonState? Person(long tenantId, string userId) => Fresh(_people, (tenantId, userId), out var person) ? person : null;

    public ConversationRow? Conversation(long tenantId, string conversationId) =>
        Fresh(_conversations, (tenantId, conversationId), out var conversation) ? conversation : null;

    public void Remember(string tenantExternalId, long tenantId, string? userId, PersonState? person, ConversationRow conversation)
    {
        var until = time.GetUtcNow() + Lifetime;
        Put(_tenants, tenantExternalId, tenantId, until);
        if (userId is not null && person is not null)
        {
            Put(_people, (tenantId, userId), person, until);
        }

        Put(_conversations, (tenantId, conversation.ConversationId), conversation, until);
    }

    public void ForgetConversation(long tenantId, string conversationId) => _conversations.TryRemove((tenantId, conversationId), out _);

    public void ForgetPeople(long tenantId, IEnumerable<string> userIds)
    {
        foreach (var userId in userIds)
        {
            _people.TryRemove((tenantId, userId), out _);
        }
    }

    private bool Fresh<TKey, T>(ConcurrentDictionary<TKey, Entry<T>> entries, TKey key, out T value) where TKey : notnull
    {
        if (entries.TryGetValue(key, out var entry) && entry.Until > time.GetUtcNow())
        {
            value = entry.Value;
            return true;
        }

        value = default!;
        return false;
    }

    private static void Put<TKey, T>(ConcurrentDictionary<TKey, Entry<T>> entries, TKey key, T value, DateTimeOffset until) where TKey : notnull
    {
        if (entries.Count >= MaxEntries)
        {
            entries.Clear();
        }

        entries[key] = new Entry<T>(value, until);
    }
}
