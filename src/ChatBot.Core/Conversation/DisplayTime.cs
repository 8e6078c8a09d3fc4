namespace ChatBot.Core.Conversation;

/// <summary>
/// Converts UTC instants to the configured local time zone for display. Wording ("3天后截止") stays in the
/// templates; this only supplies local times and day counts.
/// </summary>
public sealed class DisplayTime(TimeZoneInfo zone)
{
    public TimeZoneInfo Zone => zone;

    /// <summary>Local wall-clock time (Kind Unspecified), as templates print it.</summary>
    public DateTime ToLocal(DateTime utc) =>
        DateTime.SpecifyKind(TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), zone), DateTimeKind.Unspecified);

    /// <summary>Local calendar days from now until <paramref name="dueUtc"/>; negative when overdue.</summary>
    public int DaysUntil(DateTime dueUtc, DateTime nowUtc) => (ToLocal(dueUtc).Date - ToLocal(nowUtc).Date).Days;
}
