using System.Text;

namespace AlignmentBot.Bot.Hosting;

/// <summary>
/// Text a client chose, made safe to put in a log line: control and format characters (new lines that would
/// forge a log entry, ANSI escapes, bidi overrides) become <c>\uXXXX</c>, and it is cut to a length that
/// cannot flood the log.
/// </summary>
public static class LogText
{
    public const int MaxLength = 80;

    public static string Escape(string? text, int maxLength = MaxLength)
    {
        if (text is null)
        {
            return "(none)";
        }

        var builder = new StringBuilder(Math.Min(text.Length, maxLength) + 8);
        foreach (var c in text.Length > maxLength ? text[..maxLength] : text)
        {
            var category = char.GetUnicodeCategory(c);
            if (char.IsControl(c) || category is System.Globalization.UnicodeCategory.Format or System.Globalization.UnicodeCategory.LineSeparator
                    or System.Globalization.UnicodeCategory.ParagraphSeparator or System.Globalization.UnicodeCategory.Surrogate || c == '\\')
            {
                builder.Append(c == '\\' ? "\\\\" : $"\\u{(int)c:x4}");
            }
            else
            {
                builder.Append(c);
            }
        }

        return text.Length > maxLength ? builder.Append('…').ToString() : builder.ToString();
    }
}
