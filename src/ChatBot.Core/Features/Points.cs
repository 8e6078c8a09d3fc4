namespace ChatBot.Core.Features;

public sealed record PointsRuleLine(string Code, string Name, int Points);

public sealed record TodayAllowance(string Name, int Remaining);

public sealed record PointsSummary(
    int Total, int ThisMonth, IReadOnlyList<PointsRuleLine> ByRule, int Stars, IReadOnlyList<TodayAllowance> StillAvailableToday);

public interface IPointsService
{
    /// <summary>
    /// Credits the rule's points for this source once (unique member + rule + source), clipped to the rule's daily cap.
    /// Returns the points actually credited (0 when already credited, capped out, or the rule is inactive).
    /// </summary>
    Task<int> CreditAsync(int memberId, string ruleCode, string sourceKey, DateTime nowUtc, CancellationToken ct);

    Task<PointsSummary> GetSummaryAsync(int memberId, DateTime nowUtc, CancellationToken ct);
}
