using System.Globalization;
using System.Text.Json;
using ChatBot.Core.Domain;
using ChatBot.Host.Delivery;

namespace ChatBot.Host.Schedules;

/// <summary>
/// What a <see cref="RecurringSchedule"/> of one <see cref="ScheduleKind"/> does for one slot. Register an
/// implementation with <c>services.AddScheduledTask&lt;T&gt;()</c>; <see cref="ScheduleRunner"/> resolves it by
/// <see cref="Kind"/> from DI (scoped), after the slot's <see cref="ScheduleRun"/> row was inserted (so a slot runs once
/// across instances). A task must still be safe to run twice (run-now, a retried job after a crash): write through the
/// outbox with idempotency keys derived from the recipient and the slot/day (<see cref="ScheduleRunContext.Key"/>).
/// </summary>
public interface IScheduledTask
{
    ScheduleKind Kind { get; }

    Task<ScheduleRunReport> RunAsync(ScheduleRunContext context, CancellationToken ct);
}

/// <summary>
/// Everything a task needs about the run: the schedule row, the slot (UTC and local), the organisations it covers
/// (the schedule's subtree minus subtrees that have their own schedule of the same kind) and the parameters.
/// </summary>
public sealed record ScheduleRunContext
{
    public required RecurringSchedule Schedule { get; init; }
    /// <summary>The <see cref="ScheduleRun"/> row of this run.</summary>
    public required long RunId { get; init; }
    /// <summary>
    /// A <see cref="BroadcastRun"/> linked to this schedule run (<see cref="BroadcastRun.RecurringScheduleId"/>): stamp it
    /// on the outbox rows that count towards the member's weekly budget (<see cref="OutboxItem.BroadcastRunId"/>), so the
    /// budget, the dashboard and broadcasts see them. Rows that do not count (notices, secretary notes) leave it null.
    /// </summary>
    public required int DeliveryRunId { get; init; }
    /// <summary>The cron occurrence this run is for (UTC).</summary>
    public required DateTime SlotUtc { get; init; }
    /// <summary>The same instant in <c>Scheduling:TimeZone</c>.</summary>
    public required DateTimeOffset SlotLocal { get; init; }
    public required TimeZoneInfo TimeZone { get; init; }
    /// <summary>The previous slot a run was started for (null on the first run): "since the last digest".</summary>
    public DateTime? PreviousSlotUtc { get; init; }
    /// <summary>Subtree root of the schedule (<see cref="OrganisationPath.Root"/> = the whole committee).</summary>
    public required OrganisationPath Scope { get; init; }
    /// <summary>Subtrees inside <see cref="Scope"/> that another schedule of this kind governs: not this run's business.</summary>
    public IReadOnlyList<OrganisationPath> Excluded { get; init; } = [];
    /// <summary>Ids of every organisation this run covers (in scope and not excluded).</summary>
    public required IReadOnlySet<int> OrganisationIds { get; init; }
    /// <summary>The schedule's parameters JSON (an object; empty when "{}").</summary>
    public required JsonElement Parameters { get; init; }
    /// <summary>"cron", "recovery" or "run-now:{actor}".</summary>
    public string Trigger { get; init; } = "cron";

    /// <summary>Whether the organisation at <paramref name="path"/> belongs to this run.</summary>
    public bool Covers(OrganisationPath path) => Scope.Contains(path) && !Excluded.Any(e => e.Contains(path));

    public bool Covers(string path) => Covers(OrganisationPath.Parse(path));

    /// <summary>The local calendar day of the slot.</summary>
    public DateOnly LocalDate => DateOnly.FromDateTime(SlotLocal.DateTime);

    /// <summary>An idempotency key for this schedule and slot: "sch:{id}:{slot}:{part}" (≤ 200 characters).</summary>
    public string Key(string part) =>
        string.Create(CultureInfo.InvariantCulture, $"sch:{Schedule.Id}:{SlotUtc:yyyyMMdd'T'HHmm'Z'}:{part}");

    public int Int(string name, int fallback) =>
        Parameters.ValueKind == JsonValueKind.Object && Parameters.TryGetProperty(name, out var v) && v.TryGetInt32(out var i) ? i : fallback;

    public bool Bool(string name, bool fallback) =>
        Parameters.ValueKind == JsonValueKind.Object && Parameters.TryGetProperty(name, out var v)
            && v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean() : fallback;

    public string? String(string name) =>
        Parameters.ValueKind == JsonValueKind.Object && Parameters.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String
            ? v.GetString() : null;
}

/// <summary>What a run did, stored as JSON on <see cref="ScheduleRun.Report"/> and shown on the console page.</summary>
public sealed record ScheduleRunReport
{
    /// <summary>Recipients (members, group chats, secretaries) the task looked at.</summary>
    public int Considered { get; init; }
    /// <summary>New outbox rows written (0 on a rerun: the keys already existed).</summary>
    public int Enqueued { get; init; }
    /// <summary>Rows written as Skipped or recipients left out (budget, unreachable, already reminded today).</summary>
    public int Skipped { get; init; }
    /// <summary>Task-specific counts, e.g. {"policies": 3, "groupChats": 2}.</summary>
    public IReadOnlyDictionary<string, int> Counts { get; init; } = new Dictionary<string, int>();
    /// <summary>One line for the admin, e.g. "无新政策，未发送".</summary>
    public string? Note { get; init; }

    public static ScheduleRunReport Nothing(string note) => new() { Note = note };
}

public static class ScheduledTaskRegistration
{
    /// <summary>Registers a task class (scoped); the runner finds it by its <see cref="IScheduledTask.Kind"/>.</summary>
    public static IServiceCollection AddScheduledTask<T>(this IServiceCollection services) where T : class, IScheduledTask
    {
        services.AddScoped<T>();
        services.AddScoped<IScheduledTask>(sp => sp.GetRequiredService<T>());
        return services;
    }
}
