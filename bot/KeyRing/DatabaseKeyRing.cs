using System.Xml.Linq;
using Dapper;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Npgsql;

namespace AlignmentBot.Bot.KeyRing;

/// <summary>
/// ASP.NET Core Data Protection's key ring in PostgreSQL (<c>data_protection_keys</c>) instead of one machine's disk,
/// shared by every instance: a dashboard cookie or antiforgery token one instance issued is read by every other (no
/// sticky sessions), and so is a Slack token or install state another instance protected. Keys are only ever added
/// (the framework retires a key by writing a newer one). The framework's interface is synchronous.
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
