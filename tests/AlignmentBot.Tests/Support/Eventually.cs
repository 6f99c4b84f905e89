namespace AlignmentBot.Tests.Support;

/// <summary>Polls a condition until it holds or a deadline passes — instead of sleeping a guessed time.</summary>
public static class Eventually
{
    public static async Task<T> ValueAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan timeout, string what)
    {
        var deadline = TimeProvider.System.GetUtcNow() + timeout;
        using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        T value = await probe();
        while (!done(value))
        {
            if (TimeProvider.System.GetUtcNow() > deadline)
            {
                Assert.Fail($"Timed out after {timeout.TotalSeconds:0} s waiting for {what}; last value: {value}");
            }

            await poll.WaitForNextTickAsync();
            value = await probe();
        }

        return value;
    }
}
