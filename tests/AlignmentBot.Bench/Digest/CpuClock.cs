using System.Diagnostics;
using System.Globalization;
using Dapper;
using Npgsql;

namespace AlignmentBot.Bench.Digest;

/// <summary>
/// CPU seconds used so far by this process and by the PostgreSQL server the bench talks to. Wall time on a shared
/// machine says as much about the neighbours as about the code; CPU time is what a digest costs wherever it runs.
/// The server's figure is its postmaster's own and reaped children's time plus that of every live child (backends,
/// WAL writer, checkpointer, autovacuum), read from /proc: it needs the server on this machine and its data directory
/// readable (the bench's throwaway cluster); otherwise it is NaN.
/// </summary>
public sealed class CpuClock
{
    private static readonly double TicksPerSecond = 100; // USER_HZ, 100 on every Linux the bench runs on

    private readonly int? postmaster;

    private CpuClock(int? postmaster) => this.postmaster = postmaster;

    public static async Task<CpuClock> OpenAsync(NpgsqlDataSource dataSource)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        var directory = await connection.ExecuteScalarAsync<string>("SHOW data_directory");
        try
        {
            var first = File.ReadLines(Path.Combine(directory!, "postmaster.pid")).First();
            return new CpuClock(int.Parse(first, CultureInfo.InvariantCulture));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
            return new CpuClock(null);
        }
    }

    /// <summary>This process's CPU seconds and the server's.</summary>
    public (double Bench, double Postgres) Now() => (Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds, Postgres());

    private double Postgres()
    {
        if (postmaster is not { } root || Stat(root) is not { } self)
        {
            return double.NaN;
        }

        var ticks = self.Own + self.Children;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                && Stat(pid) is { } child && child.Parent == root)
            {
                ticks += child.Own;
            }
        }

        return ticks / TicksPerSecond;
    }

    private sealed record ProcStat(int Parent, long Own, long Children);

    /// <summary>/proc/PID/stat: after the command name in parentheses come state, ppid, …, utime (14), stime, cutime, cstime.</summary>
    private static ProcStat? Stat(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null; // gone since the directory was listed
        }

        var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        long F(int field) => long.Parse(fields[field - 3], CultureInfo.InvariantCulture);
        return new ProcStat((int)F(4), F(14) + F(15), F(16) + F(17));
    }
}
