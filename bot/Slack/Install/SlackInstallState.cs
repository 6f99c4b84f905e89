using System.Globalization;
using System.Security.Cryptography;
using Dapper;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.WebUtilities;
using Npgsql;

namespace AlignmentBot.Bot.Slack.Install;

/// <summary>What became of a <c>state</c> coming back from Slack.</summary>
public enum InstallStateCheck
{
    Accepted,
    Forged,
    Expired,
    Reused,
}

/// <summary>
/// The OAuth <c>state</c>: a random nonce and its expiry, signed and encrypted with Data Protection (so it cannot be
/// made or altered outside the bot, and any instance can read it), valid for <see cref="Lifetime"/> by the injected
/// clock, and single-use: a state seen at the callback is remembered in PostgreSQL until it would have expired.
/// Nothing is stored when a state is handed out, so visits to /slack/install write nothing.
/// </summary>
public sealed class SlackInstallState(IDataProtectionProvider protection, NpgsqlDataSource dataSource, TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    private const string Purpose = "AlignmentBot.Slack.InstallState.v1";

    private const string Forget = "DELETE FROM slack_oauth_states WHERE expires_at < @Now";

    private const string Claim = """
        INSERT INTO slack_oauth_states (nonce, expires_at)
        VALUES (@Nonce, @ExpiresAt)
        ON CONFLICT (nonce) DO NOTHING
        RETURNING true
        """;

    private readonly IDataProtector _protector = protection.CreateProtector(Purpose);

    public string Create()
    {
        var nonce = WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(24));
        var expires = (time.GetUtcNow() + Lifetime).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return _protector.Protect($"{nonce}.{expires}");
    }

    /// <summary>Forged or expired: nothing written. Otherwise the state is used up, and a second use is <see cref="InstallStateCheck.Reused"/>.</summary>
    public async Task<InstallStateCheck> ConsumeAsync(string? state, CancellationToken ct)
    {
        if (Read(state) is not var (nonce, expiresAt))
        {
            return InstallStateCheck.Forged;
        }

        var now = time.GetUtcNow();
        if (now > expiresAt)
        {
            return InstallStateCheck.Expired;
        }

        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(Forget, new { Now = now }, cancellationToken: ct));
        var claimed = await connection.ExecuteScalarAsync<bool?>(new CommandDefinition(Claim, new { Nonce = nonce, ExpiresAt = expiresAt }, cancellationToken: ct));
        return claimed == true ? InstallStateCheck.Accepted : InstallStateCheck.Reused;
    }

    /// <summary>Whether the state is ours and still valid, without using it up (for Slack's error redirects).</summary>
    public bool IsValid(string? state) => Read(state) is var (_, expiresAt) && time.GetUtcNow() <= expiresAt;

    private (string Nonce, DateTimeOffset ExpiresAt)? Read(string? state)
    {
        if (string.IsNullOrEmpty(state) || state.Length > 1024)
        {
            return null;
        }

        string plain;
        try
        {
            plain = _protector.Unprotect(state);
        }
        catch (CryptographicException)
        {
            return null;
        }

        var dot = plain.IndexOf('.', StringComparison.Ordinal);
        return dot > 0 && long.TryParse(plain.AsSpan(dot + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            ? (plain[..dot], DateTimeOffset.FromUnixTimeSeconds(seconds))
            : null;
    }
}
