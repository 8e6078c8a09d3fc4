using System.ComponentModel.DataAnnotations;

namespace ChatBot.Host.Delivery;

/// <summary>The sender of the delivery pipeline (<c>Delivery</c> section). Defaults suit one or a few instances.</summary>
public sealed class DeliveryOptions
{
    public const string SectionName = "Delivery";

    /// <summary>Off in tests that drive <see cref="OutboxSender"/> and the group-push pass by hand.</summary>
    public bool WorkerEnabled { get; set; } = true;

    /// <summary>How long the loop sleeps when nothing was due (an enqueue wakes it earlier).</summary>
    [Range(1, 3600)]
    public int PollIntervalSeconds { get; set; } = 2;

    /// <summary>Due rows read per pass.</summary>
    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 200;

    /// <summary>Recipients sent to at once (rows of one recipient go one after the other, in order).</summary>
    [Range(1, 256)]
    public int Parallelism { get; set; } = 8;

    /// <summary>Attempts before a transient failure becomes Failed.</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 6;

    /// <summary>First retry delay; doubled per attempt, with ±20 % jitter, capped by <see cref="MaxRetrySeconds"/>.</summary>
    [Range(1, 86_400)]
    public int FirstRetrySeconds { get; set; } = 10;

    [Range(1, 86_400)]
    public int MaxRetrySeconds { get; set; } = 1800;

    /// <summary>
    /// A row Sending longer than this was left by a stopped instance: the sweep settles it (Unknown, or Pending again
    /// when the route is idempotent). Must exceed the longest send (HTTP timeouts, a DingTalk answer's engine run).
    /// </summary>
    [Range(1, 86_400)]
    public int SendingLeaseSeconds { get; set; } = 300;

    [Range(1, 3600)]
    public int SweepIntervalSeconds { get; set; } = 60;
}

/// <summary>
/// <c>WeChat:Templates</c>: message kind → template message, for members whose 客服 window is closed. Example:
/// <c>"notice": { "TemplateId": "AbC…", "Fields": { "thing2": "title", "thing3": "text", "time4": "time" } }</c>.
/// A field's source is <c>title</c>, <c>text</c>, <c>time</c> (send time in Scheduling:TimeZone) or <c>=literal</c>.
/// </summary>
public sealed class WeChatTemplateSettings
{
    public const string SectionName = "WeChat:Templates";

    public string TemplateId { get; set; } = "";

    public Dictionary<string, string> Fields { get; set; } = new(StringComparer.Ordinal);
}
