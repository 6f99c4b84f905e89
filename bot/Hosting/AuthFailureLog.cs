namespace AlignmentBot.Bot.Hosting;

/// <summary>
/// Logs refused requests (bad, expired or forged tokens; wrong admin keys) at a bounded rate, so that an attacker
/// cannot fill the disk or bury other lines: at most <see cref="LinesPerMinute"/> lines a minute (on the injected
/// clock), then one line saying how many were suppressed, written when the next minute's first failure arrives.
/// Reasons are escaped: they can carry text from the request.
/// </summary>
public sealed class AuthFailureLog(TimeProvider time, ILogger<AuthFailureLog> logger)
{
    public const int LinesPerMinute = 20;
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly Lock _lock = new();
    private DateTimeOffset _windowStart = DateTimeOffset.MinValue;
    private int _logged;
    private int _suppressed;

    /// <summary>One refused request at <paramref name="door"/> (e.g. "/api/messages", "admin").</summary>
    public void Failed(string door, string reason)
    {
        int suppressed;
        lock (_lock)
        {
            var now = time.GetUtcNow();
            suppressed = 0;
            if (now - _windowStart >= Window)
            {
                (suppressed, _windowStart, _logged, _suppressed) = (_suppressed, now, 0, 0);
            }

            if (_logged >= LinesPerMinute)
            {
                _suppressed++;
                return;
            }

            _logged++;
        }

        if (suppressed > 0)
        {
            logger.LogWarning("Suppressed {Count} more refused requests in the last minute (at most {Limit} are logged a minute)", suppressed, LinesPerMinute);
        }

        logger.LogWarning("Refused a request at {Door}: {Reason}", door, LogText.Escape(reason, 300));
    }
}
