using System.Collections.Frozen;
using TimeZoneConverter;

namespace AlignmentBot.Scheduler.People;

/// <summary>
/// Time zone names as people and systems give them, made IANA: an IANA id in any letter case, or a Windows name (what
/// Exchange mailbox settings and many HR systems export). Only zones this machine can compute with are accepted.
/// </summary>
public static class Zones
{
    private static readonly FrozenDictionary<string, string> Iana =
        TZConvert.KnownIanaTimeZoneNames.ToFrozenDictionary(n => n, n => n, StringComparer.OrdinalIgnoreCase);

    /// <summary>The IANA id for <paramref name="name"/>, or null when it names no zone we know.</summary>
    public static string? ToIana(string? name)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > 64)
        {
            return null;
        }

        name = name.Trim();
        var iana = Iana.TryGetValue(name, out var known) ? known
            : TZConvert.TryWindowsToIana(name, out var fromWindows) ? fromWindows
            : null;
        return iana is not null && TimeZoneInfo.TryFindSystemTimeZoneById(iana, out _) ? iana : null;
    }
}
