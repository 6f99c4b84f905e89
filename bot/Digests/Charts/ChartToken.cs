using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace AlignmentBot.Bot.Digests.Charts;

/// <summary>
/// The secret part of a chart's URL: 256 bits from the operating system's CSPRNG, base64url (43 characters).
/// Only its SHA-256 is stored, so neither the database nor a backup of it yields a working URL.
/// </summary>
internal static class ChartToken
{
    public const int Length = 43;
    private const int RandomBytes = 32;

    public static string New() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(RandomBytes));

    public static byte[] Hash(string token) => SHA256.HashData(Encoding.ASCII.GetBytes(token));

    /// <summary>The hash to look up, or false for anything that cannot be a token (no database round trip for those).</summary>
    public static bool TryHash(string candidate, out byte[] hash)
    {
        if (candidate.Length != Length || !candidate.All(IsBase64UrlChar))
        {
            hash = [];
            return false;
        }

        hash = Hash(candidate);
        return true;
    }

    private static bool IsBase64UrlChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_';
}
