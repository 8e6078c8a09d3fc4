namespace ChatBot.Core.Conversation;

/// <summary>
/// Converts UTC instants to the configured local time zone for display. Wording ("3天后截止") stays in the
/// templates; this only supplies local times and day counts.
/// </summary>
public sealed class DisplayTime(TimeZoneInfo zone)
{
    /// <summary>Local wall-clock time (Kind Unspecified), as templates print it.</summary>
    public DateTime ToLocal(DateTime utc) =>
        DateTime.SpecifyKind(TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), zone), DateTimeKind.Unspecified);

    /// <summary>The UTC instant of a local wall-clock time (as a console form enters it).</summary>
    public DateTime ToUtc(DateTime local) =>
        DateTime.SpecifyKind(TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), zone), DateTimeKind.Utc);

    /// <summary>The local calendar day containing <paramref name="nowUtc"/>, as a UTC range [start, end).</summary>
    public (DateTime Start, DateTime End) LocalDay(DateTime nowUtc)
    {
        var start = TimeZoneInfo.ConvertTimeToUtc(ToLocal(nowUtc).Date, zone);
        return (start, start.AddDays(1));
    }

    /// <summary>Start, in UTC, of the local calendar month containing <paramref name="nowUtc"/>.</summary>
    public DateTime LocalMonthStart(DateTime nowUtc)
    {
        var local = ToLocal(nowUtc);
        return TimeZoneInfo.ConvertTimeToUtc(new DateTime(local.Year, local.Month, 1), zone);
    }

    /// <summary>Local calendar days from now until <paramref name="dueUtc"/>; negative when overdue.</summary>
    public int DaysUntil(DateTime dueUtc, DateTime nowUtc) => (ToLocal(dueUtc).Date - ToLocal(nowUtc).Date).Days;

    /// <summary>The local calendar quarter containing <paramref name="nowUtc"/>, as a UTC range [start, end), and its label ("2026年第4季度").</summary>
    public (DateTime Start, DateTime End, string Label) LocalQuarter(DateTime nowUtc)
    {
        var local = ToLocal(nowUtc);
        var firstMonth = (local.Month - 1) / 3 * 3 + 1;
        var start = new DateTime(local.Year, firstMonth, 1);
        return (TimeZoneInfo.ConvertTimeToUtc(start, zone), TimeZoneInfo.ConvertTimeToUtc(start.AddMonths(3), zone),
            $"{local.Year}年第{(firstMonth + 2) / 3}季度");
    }
}
