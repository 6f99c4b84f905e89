namespace AlignmentBot.Scheduler.Calendar;

/// <summary>
/// People get messages in their own working time: a local time of day on a working day (Mon–Fri) in
/// their IANA time zone. Daylight-saving changes are handled the way a person would expect: a time that
/// does not exist that day (clocks jump forward) is taken just after the jump; a time that happens twice
/// (clocks go back) is taken the first time.
/// </summary>
public static class WorkingTime
{
    /// <summary>The zone by IANA id; <paramref name="fallback"/> (the tenant's) when the id is missing or unknown.</summary>
    public static TimeZoneInfo Zone(string? id, TimeZoneInfo fallback)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            return fallback;
        }

        return TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : fallback;
    }

    /// <summary>Whether <paramref name="id"/> names a time zone this machine knows.</summary>
    public static bool IsKnownZone(string? id) => !string.IsNullOrWhiteSpace(id) && TimeZoneInfo.TryFindSystemTimeZoneById(id, out _);

    public static bool IsWorkingDay(DateOnly date) => date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);

    /// <summary>The first instant at or after <paramref name="from"/> when it is <paramref name="localTime"/> on a working day in <paramref name="zone"/>.</summary>
    public static DateTimeOffset NextAt(DateTimeOffset from, TimeOnly localTime, TimeZoneInfo zone)
    {
        var date = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(from, zone).DateTime);
        for (var day = 0; day < 8; day++, date = date.AddDays(1))
        {
            if (!IsWorkingDay(date))
            {
                continue;
            }

            var at = ToInstant(date.ToDateTime(localTime), zone);
            if (at >= from)
            {
                return at;
            }
        }

        throw new InvalidOperationException("A working day always comes within a week.");
    }

    /// <summary>A wall-clock time in the zone as an instant, in UTC (see the class remarks for the DST rules).</summary>
    public static DateTimeOffset ToInstant(DateTime local, TimeZoneInfo zone)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(local))
        {
            // In the gap: move forward until the wall clock exists again (e.g. 02:30 → 03:00 on a spring-forward day).
            var probe = local;
            while (zone.IsInvalidTime(probe))
            {
                probe = probe.AddMinutes(15);
            }

            local = new DateTime(probe.Year, probe.Month, probe.Day, probe.Hour, probe.Minute - probe.Minute % 15, 0, DateTimeKind.Unspecified);
        }

        var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset).ToUniversalTime();
    }
}
