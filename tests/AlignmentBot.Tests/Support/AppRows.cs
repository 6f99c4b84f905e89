namespace AlignmentBot.Tests.Support;

/// <summary>
/// Every row the product keeps (Quartz's own tables, DbUp's journal, the instances' heartbeat and the Data Protection
/// key ring, which each start-up creates, aside), to show a refused request wrote nothing.
/// </summary>
public static class AppRows
{
    private const string CountQuery = """
        SELECT string_agg(format('(SELECT count(*) FROM %I)', tablename), ' + ')
          FROM pg_tables
         WHERE schemaname = 'public' AND tablename NOT LIKE 'qrtz%' AND tablename NOT IN ('schemaversions', 'delivery_instances', 'data_protection_keys')
        """;

    public static async Task<long> CountAsync(TestDatabase database)
    {
        var sum = await database.ScalarAsync<string>(CountQuery);
        return await database.ScalarAsync<long>("SELECT " + sum);
    }
}
