using System.Security.Cryptography;
using System.Text;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;

namespace AlignmentBot.Bot.Pulses;

/// <summary>
/// HMAC-SHA256(secret, run, person): the same for an author within a run (so they can edit), different across
/// runs (so runs cannot be linked), and meaningless without the secret. The secret is
/// <see cref="PrivacyOptions.ResponseKeySecret"/>; in Development without it, 32 random bytes generated once per
/// database and kept there (never a fixed one, which anyone could read in this code).
/// </summary>
public sealed class RespondentKeys(IOptions<PrivacyOptions> options, IHostEnvironment environment, NpgsqlDataSource dataSource, ILogger<RespondentKeys> logger)
{
    public const string SecretName = "respondent-key";

    // Loaded on first use (from any caller: a turn, the outbox, the batch); a failed load is tried again next time.
    private readonly Lazy<byte[]> _secret = new(() => options.Value.ResponseKeySecret.Length > 0 ? Encoding.UTF8.GetBytes(options.Value.ResponseKeySecret)
        : environment.IsDevelopment() ? DatabaseSecret(dataSource, logger)
        : throw new InvalidOperationException($"{PrivacyOptions.Section}:{nameof(PrivacyOptions.ResponseKeySecret)} is not set."), LazyThreadSafetyMode.PublicationOnly);

    public byte[] For(long runId, long personId) =>
        HMACSHA256.HashData(_secret.Value, Encoding.UTF8.GetBytes(FormattableString.Invariant($"run:{runId}:person:{personId}")));

    // Created once: of two instances starting at once, one inserts and both read the row that won.
    private const string Create = "INSERT INTO app_secrets (name, value) VALUES (@Name, @Value) ON CONFLICT (name) DO NOTHING";

    private const string Read = "SELECT value FROM app_secrets WHERE name = @Name";

    private static byte[] DatabaseSecret(NpgsqlDataSource dataSource, ILogger logger)
    {
        using var connection = dataSource.OpenConnection();
        connection.Execute(Create, new { Name = SecretName, Value = RandomNumberGenerator.GetBytes(32) });
        var secret = connection.ExecuteScalar<byte[]>(Read, new { Name = SecretName })!;
        logger.LogWarning("{Setting} is not set: using this database's own generated secret (Development only). Set it before real people answer pulses.",
            $"{PrivacyOptions.Section}:{nameof(PrivacyOptions.ResponseKeySecret)}");
        return secret;
    }
}
