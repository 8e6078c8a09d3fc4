using System.Globalization;
using Microsoft.Extensions.Options;

namespace ChatBot.Host.Configuration;

public sealed class SchedulingOptions
{
    public const string SectionName = "Scheduling";

    public string TimeZone { get; set; } = "Asia/Shanghai";

    /// <summary>"HH:mm-HH:mm" local time in which no reminders are pushed; may wrap midnight.</summary>
    public string QuietHours { get; set; } = "21:00-08:00";

    /// <summary>Non-urgent pushes (broadcasts, reminders) a member gets per local week at most; more are Skipped "budget".</summary>
    public int MemberWeeklyBudget { get; set; } = 3;

    public TimeZoneInfo ResolveTimeZone() => TimeZoneInfo.FindSystemTimeZoneById(TimeZone);

    public (TimeOnly Start, TimeOnly End) ParseQuietHours()
    {
        var parts = QuietHours.Split('-', 2, StringSplitOptions.TrimEntries);
        return (TimeOnly.ParseExact(parts[0], "HH:mm", CultureInfo.InvariantCulture),
                TimeOnly.ParseExact(parts[1], "HH:mm", CultureInfo.InvariantCulture));
    }
}

public sealed class SchedulingOptionsValidator : IValidateOptions<SchedulingOptions>
{
    public ValidateOptionsResult Validate(string? name, SchedulingOptions options)
    {
        var failures = new List<string>();
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(options.TimeZone ?? "", out _))
            failures.Add($"{SchedulingOptions.SectionName}:TimeZone '{options.TimeZone}' is not a known time zone id (e.g. Asia/Shanghai).");
        var parts = (options.QuietHours ?? "").Split('-', 2, StringSplitOptions.TrimEntries);
        if (parts.Length != 2
            || !TimeOnly.TryParseExact(parts[0], "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out _)
            || !TimeOnly.TryParseExact(parts[1], "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
            failures.Add($"{SchedulingOptions.SectionName}:QuietHours must look like 21:00-08:00 (was '{options.QuietHours}').");
        if (options.MemberWeeklyBudget is < 0 or > 100)
            failures.Add($"{SchedulingOptions.SectionName}:MemberWeeklyBudget must be between 0 and 100 (was {options.MemberWeeklyBudget}).");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
