using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace AlignmentBot.Bot.Slack;

/// <summary>
/// Slack's v0 request signature: <c>X-Slack-Signature: v0=hex(HMAC-SHA256(signingSecret, "v0:" + timestamp + ":" + rawBody))</c>
/// with <c>X-Slack-Request-Timestamp</c> in Unix seconds. Checked over the raw bytes, compared in constant time, and
/// stricter than Slack's own SDKs where they are loose: the timestamp must be within the window both ways (Bolt JS
/// only refuses stale ones), written as plain digits (what Bolt re-formats as a number would no longer match what was
/// signed), the signature lowercase hex, and the body valid UTF-8 (Bolt hashes the body decoded as text).
/// </summary>
public static class SlackSignature
{
    public const string SignatureHeader = "X-Slack-Signature";
    public const string TimestampHeader = "X-Slack-Request-Timestamp";

    private const int HexLength = 64;
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Null when the request is Slack's; else why not (for the log — never the secret or the signatures).</summary>
    public static string? Check(string signingSecret, string? timestamp, string? signature, ReadOnlySpan<byte> body, DateTimeOffset now, TimeSpan tolerance)
    {
        if (timestamp is null || signature is null)
        {
            return "missing X-Slack-Signature or X-Slack-Request-Timestamp";
        }

        if (!IsPlainNumber(timestamp) || !long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return "malformed X-Slack-Request-Timestamp";
        }

        var skew = now.ToUnixTimeSeconds() - seconds;
        if (skew > tolerance.TotalSeconds)
        {
            return "stale X-Slack-Request-Timestamp";
        }

        if (-skew > tolerance.TotalSeconds)
        {
            return "X-Slack-Request-Timestamp in the future";
        }

        if (signature.Length != 3 + HexLength || !signature.StartsWith("v0=", StringComparison.Ordinal) || !IsLowerHex(signature.AsSpan(3)))
        {
            return "malformed X-Slack-Signature";
        }

        try
        {
            StrictUtf8.GetCharCount(body);
        }
        catch (DecoderFallbackException)
        {
            return "body is not UTF-8";
        }

        Span<byte> expected = stackalloc byte[3 + HexLength];
        Compute(signingSecret, timestamp, body, expected);
        Span<byte> given = stackalloc byte[3 + HexLength];
        Encoding.ASCII.GetBytes(signature, given);
        return CryptographicOperations.FixedTimeEquals(expected, given) ? null : "signature mismatch";
    }

    /// <summary>The header value Slack would send (used by tests and by nothing else in production).</summary>
    public static string Sign(string signingSecret, string timestamp, ReadOnlySpan<byte> body)
    {
        Span<byte> signature = stackalloc byte[3 + HexLength];
        Compute(signingSecret, timestamp, body, signature);
        return Encoding.ASCII.GetString(signature);
    }

    private static void Compute(string signingSecret, string timestamp, ReadOnlySpan<byte> body, Span<byte> destination)
    {
        var prefix = Encoding.UTF8.GetBytes($"v0:{timestamp}:");
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(signingSecret));
        hmac.AppendData(prefix);
        hmac.AppendData(body);
        Span<byte> mac = stackalloc byte[32];
        hmac.GetHashAndReset(mac);
        "v0="u8.CopyTo(destination);
        Encoding.ASCII.GetBytes(Convert.ToHexStringLower(mac), destination[3..]);
    }

    // Digits only, no sign, spaces or leading zeros: exactly what Unix seconds look like when Slack writes them.
    private static bool IsPlainNumber(string value) =>
        value.Length is > 0 and <= 12 && value[0] is >= '1' and <= '9' && value.All(char.IsAsciiDigit);

    private static bool IsLowerHex(ReadOnlySpan<char> value)
    {
        foreach (var c in value)
        {
            if (!char.IsAsciiDigit(c) && c is not (>= 'a' and <= 'f'))
            {
                return false;
            }
        }

        return true;
    }
}
