using AlignmentBot.Bot.Delivery;
using Microsoft.Extensions.Time.Testing;

namespace AlignmentBot.Tests.Delivery;

/// <summary>The in-flight bound behind the crash guarantee, and the latency it is sized by.</summary>
public class InFlightGateTests
{
    [Test]
    public async Task No_more_than_the_limit_are_in_at_once_and_waiters_go_in_first_come_first_served()
    {
        var gate = new InFlightGate(2);
        await gate.WaitAsync(CancellationToken.None);
        await gate.WaitAsync(CancellationToken.None);
        var third = gate.WaitAsync(CancellationToken.None);
        var fourth = gate.WaitAsync(CancellationToken.None);

        Assert.That((gate.Count, third.IsCompleted, fourth.IsCompleted), Is.EqualTo((2, false, false)));
        gate.Release();
        await third;
        Assert.That((gate.Count, fourth.IsCompleted), Is.EqualTo((2, false)), "the first waiter took the place");
        gate.Release();
        await fourth;
        Assert.That(gate.Peak, Is.EqualTo(2));
    }

    [Test]
    public async Task A_raised_limit_lets_waiters_in_at_once_and_a_lowered_one_lets_the_calls_under_way_finish()
    {
        var gate = new InFlightGate(1);
        await gate.WaitAsync(CancellationToken.None);
        var waiting = gate.WaitAsync(CancellationToken.None);

        gate.SetLimit(3);
        await waiting;
        await gate.WaitAsync(CancellationToken.None);
        Assert.That((gate.Count, gate.Peak), Is.EqualTo((3, 3)));

        gate.SetLimit(1);
        var next = gate.WaitAsync(CancellationToken.None);
        gate.Release();
        gate.Release();
        Assert.That(next.IsCompleted, Is.False, "still one in, the new limit");
        gate.Release();
        await next;
        Assert.That(gate.Count, Is.EqualTo(1));
    }

    [Test]
    public async Task A_cancelled_waiter_gives_its_turn_to_the_next()
    {
        var gate = new InFlightGate(1);
        await gate.WaitAsync(CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        var cancelled = gate.WaitAsync(cancel.Token);
        var next = gate.WaitAsync(CancellationToken.None);

        await cancel.CancelAsync();
        gate.Release();

        Assert.That(cancelled.IsCanceled, Is.True);
        await next;
        Assert.That(gate.Count, Is.EqualTo(1));
    }

    [Test]
    public void The_latency_is_assumed_until_measured_then_the_90th_percentile_of_the_recent_calls()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero));
        var latency = new ConnectorLatency(clock);
        Assert.That(latency.P90, Is.EqualTo(ConnectorLatency.Assumed));

        for (var ms = 1; ms <= 100; ms++)
        {
            latency.Record(TimeSpan.FromMilliseconds(ms * 10));
        }

        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.That(latency.P90, Is.EqualTo(TimeSpan.FromMilliseconds(910)));
    }
}
