using Npgsql;

namespace AlignmentBot.Storage.Database;

/// <summary>Names a database for log lines and error messages without its password.</summary>
public static class ConnectionDescription
{
    public static string Describe(string? connectionString)
    {
        try
        {
            var parsed = new NpgsqlConnectionStringBuilder(connectionString);
            return $"{parsed.Host}:{parsed.Port}/{parsed.Database ?? parsed.Username}";
        }
        catch (ArgumentException)
        {
            return "(unparseable connection string)";
        }
    }
}
