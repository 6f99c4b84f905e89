using AlignmentBot.Bot.Delivery;
using Microsoft.Extensions.Time.Testing;

namespace AlignmentBot.Tests.Delivery;

/// <summary>Teams' per-conversation limits: 7 per second, 60 per 30 seconds (and 1800 per hour).</summary>
public class ConversationPacerTests
{
    private FakeTimeProvider _clock = null!;
    private ConversationPacer _pacer = null!;

    [SetUp]
    public void CreatePacer()
    {
        _clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero));
        _pacer = new ConversationPacer(_clock);
    }

    private static async Task<bool> CompletesAsync(Task task)
    {
        await Task.WhenAny(task, Task.Delay(300));
        return task.IsCompletedSuccessfully;
    }

    [Test]
    public async Task The_8th_message_in_a_second_waits_for_the_window()
    {
        for (var i = 0; i < 7; i++)
        {
            await _pacer.AcquireAsync("channel", CancellationToken.None);
        }

        var eighth = _pacer.AcquireAsync("channel", CancellationToken.None).AsTask();
        var elsewhere = _pacer.AcquireAsync("other", CancellationToken.None).AsTask();

        Assert.That(await CompletesAsync(elsewhere), Is.True, "another conversation is not held back");
        Assert.That(await CompletesAsync(eighth), Is.False);
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.That(await CompletesAsync(eighth), Is.True);
    }

    [Test]
    public async Task The_61st_message_in_30_seconds_waits()
    {
        for (var i = 0; i < 60; i++)
        {
            await _pacer.AcquireAsync("channel", CancellationToken.None);
            _clock.Advance(TimeSpan.FromMilliseconds(400));
        }

        var next = _pacer.AcquireAsync("channel", CancellationToken.None).AsTask(); // 24 s after the first
        Assert.That(await CompletesAsync(next), Is.False);
        _clock.Advance(TimeSpan.FromSeconds(6));
        Assert.That(await CompletesAsync(next), Is.True, "30 s after the first, there is room");
    }
}
