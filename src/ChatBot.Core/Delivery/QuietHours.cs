namespace ChatBot.Core.Delivery;

/// <summary>
/// A daily local-time window in which member pushes wait (<c>Scheduling:QuietHours</c>, e.g. 21:00-08:00, may wrap
/// midnight). Start inclusive, end exclusive; equal start and end means no quiet hours.
/// </summary>
public sealed record QuietHours(TimeOnly Start, TimeOnly End, TimeZoneInfo TimeZone)
{
    public static QuietHours None(TimeZoneInfo timeZone) => new(TimeOnly.MinValue, TimeOnly.MinValue, timeZone);

    public bool IsQuiet(DateTime nowUtc)
    {
        if (Start == End) return false;
        var local = TimeOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(nowUtc, DateTimeKind.Utc), TimeZone));
        return Start < End ? local >= Start && local < End : local >= Start || local < End;
    }

    /// <summary>The UTC instant the current quiet window ends (call only when <see cref="IsQuiet"/>).</summary>
    public DateTime EndAfter(DateTime nowUtc)
    {
        var local = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(nowUtc, DateTimeKind.Utc), TimeZone);
        var end = local.Date + End.ToTimeSpan();
        if (end <= local) end = end.AddDays(1);
        return TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(end, DateTimeKind.Unspecified), TimeZone);
    }
}
