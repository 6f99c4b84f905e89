using System.Xml.Linq;
using Dapper;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Npgsql;

namespace AlignmentBot.Bot.Web.SignIn;

/// <summary>
/// The data-protection key ring in PostgreSQL (migration 0021) instead of one machine's disk: the cookie one instance
/// issued is read by every other, as the dashboard has no sticky sessions. The framework's interface is synchronous.
/// </summary>
public sealed class DatabaseKeyRing(NpgsqlDataSource dataSource) : IXmlRepository
{
    private const string SelectKeys = "SELECT xml FROM data_protection_keys ORDER BY id";

    // Two instances creating a key at the same moment each keep their own (different names); none is overwritten.
    private const string InsertKey = """
        INSERT INTO data_protection_keys (friendly_name, xml) VALUES (@FriendlyName, @Xml)
        ON CONFLICT (friendly_name) DO NOTHING
        """;

    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var connection = dataSource.OpenConnection();
        return [.. connection.Query<string>(SelectKeys).Select(XElement.Parse)];
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var connection = dataSource.OpenConnection();
        connection.Execute(InsertKey, new { FriendlyName = friendlyName, Xml = element.ToString(SaveOptions.DisableFormatting) });
    }
}
