using AlignmentBot.Bot.Delivery;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace AlignmentBot.Tests.Delivery;

/// <summary>The tenant pacer's promise: no one-second window at Teams can hold more requests than the limit.</summary>
public class TenantPacerTests
{
    private FakeTimeProvider _clock = null!;
    private TenantPacer _pacer = null!;

    [SetUp]
    public void CreatePacer()
    {
        _clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero));
        _pacer = new TenantPacer(Options.Create(new DeliveryOptions { TenantRequestsPerSecond = 5 }), _clock);
    }

    private async Task<bool> GrantedAfterAsync(Task<TenantSlot> acquiring, TimeSpan advance)
    {
        await Task.Delay(20);
        _clock.Advance(advance);
        await Task.WhenAny(acquiring, Task.Delay(500));
        return acquiring.IsCompletedSuccessfully;
    }

    [Test]
    public async Task Requests_are_spread_one_interval_apart()
    {
        (await _pacer.AcquireAsync(1, CancellationToken.None)).Dispose();
        var second = _pacer.AcquireAsync(1, CancellationToken.None).AsTask();

        Assert.That(await GrantedAfterAsync(second, TimeSpan.FromMilliseconds(199)), Is.False, "5/s: 200 ms apart");
        Assert.That(await GrantedAfterAsync(second, TimeSpan.FromMilliseconds(1)), Is.True);
    }

    [Test]
    public async Task A_token_comes_back_one_second_after_its_request_was_answered()
    {
        var slots = new List<TenantSlot>();
        for (var i = 0; i < 5; i++)
        {
            slots.Add(await _pacer.AcquireAsync(1, CancellationToken.None));
            _clock.Advance(TimeSpan.FromMilliseconds(200));
        }

        // All five still under way (a slow network): Teams may receive them all at once, so nothing more goes.
        var sixth = _pacer.AcquireAsync(1, CancellationToken.None).AsTask();
        _clock.Advance(TimeSpan.FromSeconds(10));
        await Task.Delay(100);
        Assert.That(sixth.IsCompleted, Is.False, "five requests may still arrive within one second");

        slots[0].Dispose(); // answered now
        _clock.Advance(TimeSpan.FromMilliseconds(999));
        await Task.Delay(100);
        Assert.That(sixth.IsCompleted, Is.False, "the answer may have been its arrival: a second must pass");

        _clock.Advance(TimeSpan.FromMilliseconds(1));
        await Task.WhenAny(sixth, Task.Delay(2000));
        Assert.That(sixth.IsCompletedSuccessfully, Is.True);
        slots.ForEach(s => s.Dispose());
    }

    [Test]
    public async Task A_request_not_sent_gives_its_token_back_at_once()
    {
        for (var i = 0; i < 5; i++)
        {
            var slot = await _pacer.AcquireAsync(1, CancellationToken.None);
            slot.NotSent();
            slot.Dispose();
            _clock.Advance(TimeSpan.FromMilliseconds(200));
        }

        Assert.That(await GrantedAfterAsync(_pacer.AcquireAsync(1, CancellationToken.None).AsTask(), TimeSpan.Zero), Is.True);
    }

    [Test]
    public async Task Tenants_are_paced_apart()
    {
        var busy = new List<TenantSlot>();
        for (var i = 0; i < 5; i++)
        {
            busy.Add(await _pacer.AcquireAsync(1, CancellationToken.None));
            _clock.Advance(TimeSpan.FromMilliseconds(200));
        }

        Assert.That(await GrantedAfterAsync(_pacer.AcquireAsync(2, CancellationToken.None).AsTask(), TimeSpan.Zero), Is.True, "another tenant has its own limit");
        busy.ForEach(s => s.Dispose());
    }

    [Test]
    public void By_the_Sent_rule_a_token_comes_back_one_second_after_sending_plus_the_allowance_even_while_the_answer_is_slow()
    {
        var pacer = new TenantPacer(Options.Create(new DeliveryOptions
        {
            TenantRequestsPerSecond = 5,
            Pacing = PacingRule.Sent,
            ArrivalAllowance = TimeSpan.FromMilliseconds(30),
        }), _clock);
        var slots = new List<TenantSlot>();
        for (var i = 0; i < 5; i++)
        {
            var slot = pacer.TryAcquire(1, out _)!;
            slot.Sending();
            slots.Add(slot);
            _clock.Advance(TimeSpan.FromMilliseconds(200));
        }

        // Now 1000 ms after the first left; it is still unanswered.
        Assert.That(pacer.TryAcquire(1, out var wait), Is.Null);
        Assert.That(wait, Is.EqualTo(TimeSpan.FromMilliseconds(30)), "1 s + 30 ms after the first left");
        _clock.Advance(wait);
        Assert.That(pacer.TryAcquire(1, out _), Is.Not.Null);
        slots.ForEach(s => s.Dispose());
    }

    [Test]
    public void By_the_Sent_rule_a_fast_answer_bounds_the_arrival_sooner_than_the_allowance()
    {
        var pacer = new TenantPacer(Options.Create(new DeliveryOptions
        {
            TenantRequestsPerSecond = 1,
            Pacing = PacingRule.Sent,
            ArrivalAllowance = TimeSpan.FromMilliseconds(300),
        }), _clock);
        var slot = pacer.TryAcquire(1, out _)!;
        slot.Sending();
        _clock.Advance(TimeSpan.FromMilliseconds(100));
        slot.Dispose();

        _clock.Advance(TimeSpan.FromMilliseconds(999));
        Assert.That(pacer.TryAcquire(1, out _), Is.Null);
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.That(pacer.TryAcquire(1, out _), Is.Not.Null, "answered 100 ms after leaving: back 1 s after the answer");
    }

    [Test]
    public void By_the_Sent_rule_a_429_adds_a_step_to_the_allowance_once_a_second_up_to_one_second_and_quiet_takes_it_back()
    {
        var pacer = new TenantPacer(Options.Create(new DeliveryOptions
        {
            TenantRequestsPerSecond = 1,
            Pacing = PacingRule.Sent,
            ArrivalAllowance = TimeSpan.FromMilliseconds(30),
            ArrivalAllowanceStep = TimeSpan.FromMilliseconds(10),
        }), _clock);
        TimeSpan BackAfterSending()
        {
            // A slow answer: the token comes back 1 s + the tenant's allowance after sending.
            var slot = pacer.TryAcquire(1, out _)!;
            slot.Sending();
            var sent = _clock.GetUtcNow();
            _clock.Advance(TimeSpan.FromSeconds(1));
            TenantSlot? next;
            while ((next = pacer.TryAcquire(1, out var wait)) is null)
            {
                _clock.Advance(wait);
            }

            var back = _clock.GetUtcNow() - sent;
            next.NotSent();
            next.Dispose();
            slot.Dispose();
            _clock.Advance(TimeSpan.FromSeconds(3));
            return back;
        }

        Assert.That(BackAfterSending(), Is.EqualTo(TimeSpan.FromMilliseconds(1030)));
        pacer.Throttled(1, TimeSpan.Zero);
        pacer.Throttled(1, TimeSpan.Zero);
        Assert.That(BackAfterSending(), Is.EqualTo(TimeSpan.FromMilliseconds(1040)), "one step, once for two 429s in the same second");
        Assert.That(pacer.LargestAllowance(), Is.EqualTo(TimeSpan.FromMilliseconds(40)));
        for (var i = 0; i < 120; i++)
        {
            pacer.Throttled(1, TimeSpan.Zero);
            _clock.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.That(pacer.LargestAllowance(), Is.EqualTo(TimeSpan.FromSeconds(1)), "at most 1 s: about the Answered rule");

        // 30 s without a 429 (the tenant kept busy) takes one step back, and so on down to the setting.
        pacer.Throttled(1, TimeSpan.Zero);
        _clock.Advance(TimeSpan.FromSeconds(29));
        pacer.TryAcquire(1, out _)?.Dispose();
        Assert.That(pacer.LargestAllowance(), Is.EqualTo(TimeSpan.FromSeconds(1)), "not before 30 s");
        _clock.Advance(TimeSpan.FromSeconds(1));
        pacer.TryAcquire(1, out _)?.Dispose();
        Assert.That(pacer.LargestAllowance(), Is.EqualTo(TimeSpan.FromMilliseconds(990)));
        _clock.Advance(TimeSpan.FromSeconds(30));
        pacer.TryAcquire(1, out _)?.Dispose();
        Assert.That(pacer.LargestAllowance(), Is.EqualTo(TimeSpan.FromMilliseconds(980)));

        _clock.Advance(TimeSpan.FromSeconds(31));
        pacer.Sweep();
        Assert.That(BackAfterSending(), Is.EqualTo(TimeSpan.FromMilliseconds(1030)), "a forgotten tenant starts from the setting again");
    }

    [Test]
    public void A_short_pause_after_a_429_is_waited_out_and_a_long_one_left_to_the_caller_to_put_its_row_back()
    {
        _pacer.Throttled(1, TimeSpan.FromSeconds(1));

        Assert.That(_pacer.TryAcquire(1, out var wait), Is.Null, "no token while paused");
        Assert.That(wait, Is.EqualTo(TimeSpan.FromSeconds(1)), "the wait is the pause");
        Assert.That(_pacer.PausedLong(1), Is.Null, "a second is waited out with the row in hand");
        _clock.Advance(wait);
        Assert.That(_pacer.TryAcquire(1, out _), Is.Not.Null);

        var until = _pacer.Throttled(2, TimeSpan.FromSeconds(30));
        Assert.That(_pacer.PausedLong(2), Is.EqualTo(until), "the sender puts its row back until then");
        var slot = _pacer.TryAcquire(2, out _);
        Assert.That(slot, Is.Not.Null, "granted at once, so the waiting row goes back instead of holding its lease");
    }

    [Test]
    public void By_the_Answered_rule_a_429_changes_no_allowance()
    {
        _pacer.Throttled(1, TimeSpan.Zero);

        Assert.That(_pacer.LargestAllowance(), Is.EqualTo(new DeliveryOptions().ArrivalAllowance));
    }

    [Test]
    public void A_quiet_tenant_is_forgotten_and_a_busy_or_paused_one_kept()
    {
        _pacer.TryAcquire(1, out _)!.Dispose();
        var busy = _pacer.TryAcquire(2, out _)!;
        _pacer.Throttled(3, TimeSpan.FromMinutes(5));

        _clock.Advance(TimeSpan.FromSeconds(31));
        _pacer.Sweep();

        Assert.That(_pacer.TenantCount, Is.EqualTo(2), "tenant 1 forgotten; 2 has a request out, 3 is paused");
        Assert.That(_pacer.PausedUntil(3), Is.Not.Null);
        busy.Dispose();
        Assert.That(_pacer.TryAcquire(1, out _), Is.Not.Null, "a forgotten tenant starts afresh");
    }

    [Test]
    public void A_429_pauses_the_tenant_for_Retry_After()
    {
        var until = _pacer.Throttled(1, TimeSpan.FromSeconds(3));

        Assert.That(until, Is.EqualTo(_clock.GetUtcNow().AddSeconds(3)));
        Assert.That(_pacer.PausedUntil(1), Is.EqualTo(until));
        Assert.That(_pacer.PausedUntil(2), Is.Null);
        _clock.Advance(TimeSpan.FromSeconds(3));
        Assert.That(_pacer.PausedUntil(1), Is.Null);
    }
}
