using AlignmentBot.Bot.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace AlignmentBot.Tests.Hosting;

/// <summary>A flood of refused requests writes a bounded number of lines, then says how many it left out.</summary>
public class AuthFailureLogTests
{
    [Test]
    public void A_flood_of_failures_logs_at_most_the_limit_a_minute_then_a_suppressed_summary()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 27, 23, 59, 30, TimeSpan.FromHours(14)));
        var lines = new LinesLogger();
        var log = new AuthFailureLog(clock, lines);

        for (var i = 0; i < 1000; i++)
        {
            log.Failed("/api/messages", $"signing key \"k{i}\" is not published");
            clock.Advance(TimeSpan.FromMilliseconds(50));
        }

        // 1000 failures over 50 s: one window.
        Assert.That(lines.Lines, Has.Count.EqualTo(AuthFailureLog.LinesPerMinute));

        clock.Advance(TimeSpan.FromSeconds(15));
        log.Failed("admin", "wrong or missing X-Api-Key");

        Assert.That(lines.Lines, Has.Count.EqualTo(AuthFailureLog.LinesPerMinute + 2));
        Assert.That(lines.Lines[^2], Does.Contain($"Suppressed {1000 - AuthFailureLog.LinesPerMinute} more"));
        Assert.That(lines.Lines[^1], Does.Contain("admin"));
    }

    [Test]
    public void A_reason_carrying_request_text_cannot_forge_a_log_line()
    {
        var lines = new LinesLogger();
        new AuthFailureLog(new FakeTimeProvider(), lines).Failed("/api/messages", "signing key \"x\nERROR forged line\" is not published");

        Assert.That(lines.Lines, Has.Count.EqualTo(1));
        Assert.That(lines.Lines[0], Does.Not.Contain("\n").And.Contain("\\u000a"));
    }

    private sealed class LinesLogger : ILogger<AuthFailureLog>
    {
        public List<string> Lines { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Lines.Add(formatter(state, exception));
    }
}
