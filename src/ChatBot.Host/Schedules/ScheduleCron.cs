using Cronos;

namespace ChatBot.Host.Schedules;

/// <summary>Cron (5 fields, <c>Scheduling:TimeZone</c>) parsing and occurrences, the one place schedules use Cronos.</summary>
public static class ScheduleCron
{
    public static CronExpression? TryParse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        try
        {
            return CronExpression.Parse(text.Trim(), CronFormat.Standard);
        }
        catch (CronFormatException)
        {
            return null;
        }
    }

    /// <summary>The latest occurrence in (<paramref name="afterUtc"/>, <paramref name="nowUtc"/>], or null.</summary>
    public static DateTime? LatestBetween(CronExpression cron, DateTime afterUtc, DateTime nowUtc, TimeZoneInfo zone)
    {
        if (afterUtc >= nowUtc) return null;
        DateTime? last = null;
        foreach (var at in cron.GetOccurrences(Utc(afterUtc), Utc(nowUtc), zone, fromInclusive: false, toInclusive: true))
            last = at;
        return last;
    }

    /// <summary>The slot a firing at <paramref name="nowUtc"/> stands for: the latest occurrence at or before now (within a day).</summary>
    public static DateTime? SlotFor(CronExpression cron, DateTime nowUtc, TimeZoneInfo zone) =>
        LatestBetween(cron, nowUtc.AddDays(-1).AddTicks(-1), nowUtc, zone);

    /// <summary>The next <paramref name="count"/> occurrences after <paramref name="nowUtc"/>, in local time.</summary>
    public static IReadOnlyList<DateTimeOffset> Next(CronExpression cron, DateTime nowUtc, TimeZoneInfo zone, int count)
    {
        var result = new List<DateTimeOffset>(count);
        var from = Utc(nowUtc);
        while (result.Count < count && cron.GetNextOccurrence(from, zone) is { } next)
        {
            result.Add(TimeZoneInfo.ConvertTime(new DateTimeOffset(next), zone));
            from = next;
        }
        return result;
    }

    private static DateTime Utc(DateTime t) => t.Kind == DateTimeKind.Utc ? t : DateTime.SpecifyKind(t, DateTimeKind.Utc);
}
