using System.Globalization;

namespace AlignmentBot.Bot.Web.Console;

/// <summary>How the console writes instants: UTC, to the minute, the same on every machine.</summary>
public static class ConsoleFormat
{
    public static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
}
