using System.ComponentModel.DataAnnotations;

namespace ChatBot.Host.Broadcasts;

public sealed class BroadcastsOptions
{
    public const string SectionName = "Broadcasts";

    /// <summary>Run the scheduler in this instance (due sendAt runs, interrupted runs, completion). Tests drive it themselves.</summary>
    public bool WorkerEnabled { get; set; } = true;

    [Range(1, 3600)]
    public int PollIntervalSeconds { get; set; } = 15;

    /// <summary>Rows written to the outbox per batch.</summary>
    [Range(10, 10000)]
    public int BatchSize { get; set; } = 1000;

    /// <summary>Member sends per second the sender sustains; only used for the preflight's duration estimate.</summary>
    [Range(1, 100000)]
    public int EstimatedMemberSendsPerSecond { get; set; } = 2000;

    /// <summary>How many unreachable recipients the preflight lists (the counts always cover all of them).</summary>
    [Range(0, 100000)]
    public int PreflightUnreachableLimit { get; set; } = 1000;
}
