using Microsoft.Extensions.Time.Testing;

namespace AlignmentBot.Tests.Support;

/// <summary>Lets the real outbox dispatcher work on a fake clock: steps the clock while anything is due or being sent, or runs it up to a time.</summary>
public static class FakeClockDispatch
{
    public static async Task SendDueAsync(TestDatabase database, FakeTimeProvider clock)
    {
        while (await database.ScalarAsync<long>(
                   $"SELECT count(*) FROM deliveries WHERE status = 'sending' OR (status = 'pending' AND not_before <= '{clock.GetUtcNow():O}')") > 0)
        {
            // The dispatcher's waits (pacing, polling) run on the fake clock; the real delay lets it take its turn.
            clock.Advance(TimeSpan.FromMilliseconds(200));
            await Task.Delay(10);
        }
    }

    /// <summary>
    /// Moves the fake clock to <paramref name="until"/>: jumps to each pending delivery's time, then steps while the
    /// dispatcher sends it (<see cref="SendDueAsync"/>), until nothing is due before <paramref name="until"/>.
    /// </summary>
    public static async Task RunUntilAsync(TestDatabase database, FakeTimeProvider clock, DateTimeOffset until)
    {
        for (var step = 0; step < 10_000; step++)
        {
            await SendDueAsync(database, clock);
            var now = clock.GetUtcNow();
            if (now >= until)
            {
                return;
            }

            var next = await database.ScalarAsync<DateTime?>("SELECT min(not_before) FROM deliveries WHERE status = 'pending'");
            var target = next is { } due && new DateTimeOffset(DateTime.SpecifyKind(due, DateTimeKind.Utc)) < until
                ? new DateTimeOffset(DateTime.SpecifyKind(due, DateTimeKind.Utc))
                : until;
            clock.Advance(target > now ? target - now : TimeSpan.FromMilliseconds(200));
            await Task.Delay(10);
        }

        Assert.Fail($"The outbox did not reach {until:O} in 10,000 steps");
    }
}
