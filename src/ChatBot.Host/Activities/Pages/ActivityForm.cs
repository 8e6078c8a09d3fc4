using System.Globalization;
using ChatBot.Core.Conversation;
using ChatBot.Core.Domain;

namespace ChatBot.Host.Activities.Pages;

/// <summary>The create/edit form; times are local wall-clock (datetime-local inputs in Scheduling:TimeZone).</summary>
public sealed class ActivityForm
{
    public int OrganisationId { get; set; }
    public ActivityKind Kind { get; set; } = ActivityKind.ThemeDay;
    public string Title { get; set; } = "";
    public string? Description { get; set; }
    public string? Location { get; set; }
    public DateTime StartsAt { get; set; }
    public DateTime EndsAt { get; set; }
    public int? Capacity { get; set; }
    public DateTime SignUpDeadline { get; set; }
    public string? CheckInCode { get; set; }
    public int CheckInOpensMinutesBefore { get; set; } = 30;
    public int CheckInClosesMinutesAfter { get; set; } = 30;

    public ActivityInput ToInput(DisplayTime display) => new(OrganisationId, Kind, Title, Description, Location,
        display.ToUtc(StartsAt), display.ToUtc(EndsAt), Capacity, display.ToUtc(SignUpDeadline), CheckInCode,
        CheckInOpensMinutesBefore, CheckInClosesMinutesAfter);

    public static ActivityForm From(ActivityDetail d, DisplayTime display) => new()
    {
        OrganisationId = d.Row.OrganisationId, Kind = d.Row.Kind, Title = d.Row.Title, Description = d.Description, Location = d.Row.Location,
        StartsAt = display.ToLocal(d.Row.StartsAt), EndsAt = display.ToLocal(d.Row.EndsAt), Capacity = d.Row.Capacity,
        SignUpDeadline = display.ToLocal(d.Row.SignUpDeadline), CheckInCode = d.CheckInCode,
        CheckInOpensMinutesBefore = d.CheckInOpensMinutesBefore, CheckInClosesMinutesAfter = d.CheckInClosesMinutesAfter,
    };

    public static string Local(DateTime value) => value.ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture);

    public static readonly IReadOnlyList<ActivityKind> Kinds = Enum.GetValues<ActivityKind>();
}
