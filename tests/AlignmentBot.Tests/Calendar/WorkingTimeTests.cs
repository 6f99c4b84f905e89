using AlignmentBot.Scheduler.Calendar;

namespace AlignmentBot.Tests.Calendar;

public class WorkingTimeTests
{
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
    private static readonly TimeOnly Ten = new(10, 0);

    private static DateTimeOffset Utc(int year, int month, int day, int hour, int minute = 0) => new(year, month, day, hour, minute, 0, TimeSpan.Zero);

    [Test]
    public void Later_the_same_working_day_when_the_local_time_is_still_ahead() =>
        Assert.That(WorkingTime.NextAt(Utc(2026, 11, 2, 6), Ten, Berlin), Is.EqualTo(Utc(2026, 11, 2, 9)), "Monday 10:00 CET is 09:00 UTC");

    [Test]
    public void After_Friday_local_time_has_passed_it_is_Monday() =>
        Assert.That(WorkingTime.NextAt(Utc(2026, 11, 6, 16), Ten, Berlin), Is.EqualTo(Utc(2026, 11, 9, 9)));

    [Test]
    public void The_local_date_counts_not_the_UTC_date()
    {
        // Saturday 02:00 UTC is still Friday evening in New York: next is Monday 10:00 EST.
        Assert.That(WorkingTime.NextAt(Utc(2026, 11, 7, 2), Ten, NewYork), Is.EqualTo(Utc(2026, 11, 9, 15)));
    }

    [Test]
    public void Ten_oclock_follows_the_clocks_across_a_daylight_saving_change()
    {
        Assert.That(WorkingTime.NextAt(Utc(2026, 10, 30, 0), Ten, NewYork), Is.EqualTo(Utc(2026, 10, 30, 14)), "Friday before: EDT, UTC-4");
        Assert.That(WorkingTime.NextAt(Utc(2026, 10, 30, 15), Ten, NewYork), Is.EqualTo(Utc(2026, 11, 2, 15)), "Monday after: EST, UTC-5");
    }

    [Test]
    public void A_time_skipped_by_spring_forward_is_taken_just_after_the_jump() =>
        Assert.That(WorkingTime.ToInstant(new DateTime(2026, 3, 8, 2, 30, 0), NewYork), Is.EqualTo(Utc(2026, 3, 8, 7)), "03:00 EDT");

    [Test]
    public void A_time_that_happens_twice_is_taken_the_first_time() =>
        Assert.That(WorkingTime.ToInstant(new DateTime(2026, 11, 1, 1, 30, 0), NewYork), Is.EqualTo(Utc(2026, 11, 1, 5, 30)), "01:30 EDT, before the clocks go back");

    [Test]
    public void An_unknown_or_missing_zone_falls_back_to_the_tenants()
    {
        Assert.That(WorkingTime.Zone("Mars/Olympus_Mons", Berlin), Is.SameAs(Berlin));
        Assert.That(WorkingTime.Zone(null, Berlin), Is.SameAs(Berlin));
        Assert.That(WorkingTime.Zone("Asia/Tokyo", Berlin).BaseUtcOffset, Is.EqualTo(TimeSpan.FromHours(9)));
    }
}
