using System.Text;

namespace AlignmentBot.Scheduler.Okrs.Import;

/// <summary>One CSV record: its fields and the line it starts on (1-based, the header is line 1).</summary>
public sealed record CsvRecord(int Line, IReadOnlyList<string> Fields);

/// <summary>
/// RFC 4180 CSV as spreadsheets write it: comma-separated, fields in double quotes may hold commas, line breaks and
/// doubled quotes; CRLF or LF; a byte-order mark is ignored; blank lines are skipped. Line numbers are those a person
/// sees in an editor, so an error can point at the row.
/// </summary>
public static class CsvTable
{
    public static IReadOnlyList<CsvRecord> Parse(string text)
    {
        var records = new List<CsvRecord>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var (line, recordLine, quoted, fieldStarted) = (1, 1, false, false);
        text = text.TrimStart('\uFEFF');

        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    line += c == '\n' ? 1 : 0;
                    field.Append(c);
                }

                continue;
            }

            switch (c)
            {
                case '"' when field.Length == 0:
                    quoted = fieldStarted = true;
                    break;
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    fieldStarted = true;
                    break;
                case '\r':
                    break;
                case '\n':
                    EndRecord();
                    line++;
                    recordLine = line;
                    break;
                default:
                    field.Append(c);
                    fieldStarted = true;
                    break;
            }
        }

        EndRecord();
        return records;

        void EndRecord()
        {
            if (fieldStarted || fields.Count > 0 || field.Length > 0)
            {
                fields.Add(field.ToString());
                if (fields.Any(f => f.Trim().Length > 0))
                {
                    records.Add(new CsvRecord(recordLine, [.. fields.Select(f => f.Trim())]));
                }
            }

            fields = [];
            field.Clear();
            fieldStarted = false;
        }
    }
}
