using System.Text.Json;
using AlignmentBot.Scheduler.Delivery;
using AlignmentBot.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace AlignmentBot.Tests.Delivery;

/// <summary>A tenant with people (with or without a 1:1 chat) and a channel, and deliveries for them.</summary>
public sealed class OutboxSeed(TestDatabase database, string serviceUrl)
{
    public long TenantId { get; private set; }

    public long ChannelId { get; private set; }

    /// <summary>Creates the tenant "tenant-a" and its General channel (which tells the bot the tenant's serviceUrl).</summary>
    public async Task<OutboxSeed> TenantAsync(string externalId = "tenant-a")
    {
        TenantId = await database.ScalarAsync<long>($"INSERT INTO tenants (platform, external_id) VALUES ('teams', '{externalId}') RETURNING id");
        ChannelId = await database.ScalarAsync<long>(
            $"INSERT INTO conversations (tenant_id, kind, conversation_id, service_url) VALUES ({TenantId}, 'channel', '19:general-{externalId}@thread.tacv2', '{serviceUrl}') RETURNING id");
        return this;
    }

    /// <summary>
    /// People "29:{name}-1".."29:{name}-N"; with <paramref name="withChats"/> each already has a 1:1 conversation
    /// "a:chat-{name}-N". Give each tenant its own <paramref name="name"/> when they share a fake connector.
    /// </summary>
    public async Task<long[]> PeopleAsync(int count, bool withChats, string name = "user")
    {
        await database.ExecuteAsync($"""
            INSERT INTO people (tenant_id, platform_user_id, display_name)
            SELECT {TenantId}, '29:{name}-' || i, 'Person ' || i FROM generate_series(1, {count}) AS i
            """);
        if (withChats)
        {
            await database.ExecuteAsync($"""
                INSERT INTO conversations (tenant_id, kind, conversation_id, service_url, person_id)
                SELECT {TenantId}, 'personal', 'a:chat-' || substr(platform_user_id, 4), '{serviceUrl}', id FROM people WHERE tenant_id = {TenantId}
                """);
        }

        return (await database.ScalarAsync<long[]>($"SELECT array_agg(id ORDER BY id) FROM people WHERE tenant_id = {TenantId}"))!;
    }

    public static NewDelivery Notice(long tenantId, string key, DateTimeOffset notBefore, long? personId = null, long? conversationId = null) =>
        new(tenantId, "notice", JsonSerializer.SerializeToElement(new { title = "Hello", text = $"Message {key}", reason = "Sent because: a test" }),
            key, notBefore, personId, conversationId);

    public static Outbox Outbox(TestDatabase database) => new(database.CreateDataSource(), new FakeTimeProvider(TimeProvider.System.GetUtcNow()));
}
