namespace AlignmentBot.Bot.Directory;

/// <summary>
/// A person the bot first heard of from Microsoft Graph (someone's manager) is stored under their Entra object id,
/// as no platform id is known yet. When a roster or an activity later shows them with their platform id, that row
/// becomes theirs — the manager links, facts and roles it already carries included — instead of a second person
/// appearing beside it.
/// </summary>
internal static class PlaceholderAdoption
{
    // Runs before the people upsert, as its own statement: the upsert then finds the adopted row by its new id.
    public const string Sql = """
        UPDATE people p
        SET platform_user_id = m.user_id, updated_at = @Now
        FROM unnest(@UserIds, @AadObjectIds) AS m(user_id, aad_object_id)
        WHERE p.tenant_id = @TenantId
          AND m.aad_object_id IS NOT NULL AND m.user_id <> m.aad_object_id
          AND p.platform_user_id = m.aad_object_id AND p.aad_object_id = m.aad_object_id
          AND NOT EXISTS (SELECT 1 FROM people q WHERE q.tenant_id = @TenantId AND q.platform_user_id = m.user_id)
        """;
}
