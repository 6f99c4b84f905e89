using Microsoft.Extensions.Time.Testing;

namespace AlignmentBot.Tests.Support;

/// <summary>Lets the real outbox dispatcher work on a fake clock: steps the clock while anything is due or being sent.</summary>
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
}
