using ChatBot.Core.Domain;

namespace ChatBot.Core.Features;

/// <summary>A question without a confident answer, as the engine reports it.</summary>
/// <param name="OrganisationId">The bound member's branch, or the group's.</param>
/// <param name="MemberId">Only for 人工 requests.</param>
public sealed record UnansweredReport(
    string Question, Channel Channel, int? OrganisationId, int? MemberId, UnansweredKind Kind,
    IReadOnlyList<string> Offered, bool HumanRequested, DateTime AskedAtUtc);

/// <summary>Where unanswered questions go for the admins' list (GET /api/v1/unanswered-questions).</summary>
public interface IUnansweredQuestions
{
    /// <summary>Stores the report (question redacted and capped) and returns its id.</summary>
    Task<long> RecordAsync(UnansweredReport report, CancellationToken ct);

    /// <summary>Marks an earlier record as handed to a person (人工 after a 可能相关 reply); false when it is gone.</summary>
    Task<bool> RequestHumanAsync(long id, int? memberId, CancellationToken ct);
}

/// <summary>
/// How a member reaches a person (configuration section <c>Assistance</c>). There is no per-branch contact in the
/// data, so the committee's contact is used; empty leaves only “回复 人工”.
/// </summary>
public sealed class AssistanceOptions
{
    public const string SectionName = "Assistance";

    /// <summary>Shown in 可能相关 and 人工 replies, e.g. “县个私党委 0571-12345678（工作日 9:00–17:00）”.</summary>
    [System.ComponentModel.DataAnnotations.MaxLength(100)]
    public string CommitteeContact { get; set; } = "";
}
