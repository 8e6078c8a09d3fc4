using ChatBot.Core.Features;
using ChatBot.Core.Messaging;

namespace ChatBot.Core.Conversation.Handlers;

/// <summary>积分: the member's own standing only; there is deliberately no ranking of individuals.</summary>
public sealed class PointsHandler(IPointsService points, IReplyTemplates templates, IMemberLinks links)
{
    public async Task<OutboundReply> SummaryAsync(ConversationContext context, MemberRef member, CancellationToken ct)
    {
        var summary = await points.GetSummaryAsync(member.Id, context.NowUtc, ct);
        return OutboundReply.FromText(templates.Render("points", new
        {
            total = summary.Total,
            month = summary.ThisMonth,
            stars = summary.Stars,
            by_rule = summary.ByRule.Select(r => new { name = r.Name, points = r.Points }).ToList(),
            today = summary.StillAvailableToday.Select(t => new { name = t.Name, remaining = t.Remaining }).ToList(),
            url = links.Points(member.Id),
        }));
    }
}
