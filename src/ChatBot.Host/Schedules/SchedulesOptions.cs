using System.ComponentModel.DataAnnotations;

namespace ChatBot.Host.Schedules;

public sealed class SchedulesOptions
{
    public const string SectionName = "Schedules";

    /// <summary>Seed, register and recover schedules in this instance. Off: no schedule fires here (another instance runs them).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Register the schedules as Hangfire recurring jobs (off: only run-now and recovery run them; tests drive the runner).</summary>
    public bool RegisterJobs { get; set; } = true;

    /// <summary>At start, run the newest slot each schedule missed while no host was up (once).</summary>
    public bool RecoverMissedSlots { get; set; } = true;

    /// <summary>A missed slot older than this is not caught up at start (a week-old digest is news no more).</summary>
    [Range(1, 24 * 31)]
    public int RecoveryLookbackHours { get; set; } = 168;

    /// <summary>Outbox rows written per batch by the tasks.</summary>
    [Range(10, 10000)]
    public int BatchSize { get; set; } = 1000;
}
