using System.Xml.Linq;
using Dapper;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Npgsql;

namespace AlignmentBot.Bot.Slack.Install;

/// <summary>
/// ASP.NET Core Data Protection's key ring in PostgreSQL (<c>data_protection_keys</c>), so every instance of the bot
/// shares the keys that encrypt Slack tokens and sign install states; a key written by one is read by the others
/// (Data Protection reloads the ring when it meets a key id it does not know). Keys are only ever added.
/// Data Protection calls this synchronously, so the calls are synchronous too.
/// </summary>
public sealed class PostgresXmlRepository(NpgsqlDataSource dataSource) : IXmlRepository
{
    private const string SelectAll = "SELECT xml FROM data_protection_keys ORDER BY created_at, friendly_name";

    private const string Insert = """
        INSERT INTO data_protection_keys (friendly_name, xml)
        VALUES (@FriendlyName, @Xml)
        ON CONFLICT (friendly_name) DO NOTHING
        """;

    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var connection = dataSource.OpenConnection();
        return [.. connection.Query<string>(SelectAll).Select(xml => XElement.Parse(xml))];
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var connection = dataSource.OpenConnection();
        connection.Execute(Insert, new { FriendlyName = friendlyName, Xml = element.ToString(SaveOptions.DisableFormatting) });
    }
}
