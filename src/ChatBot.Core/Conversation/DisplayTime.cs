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
}
