using ChatBot.Core.Features;
using ChatBot.Core.Messaging;

namespace ChatBot.Core.Conversation.Handlers;

/// <summary>进度 in a branch group: done/total per open study task; names only where the branch turned that on.</summary>
public sealed class ProgressHandler(IStudyService study, IReplyTemplates templates, DisplayTime display)
{
    public async Task<OutboundReply> BranchAsync(ConversationContext context, int organisationId, CancellationToken ct)
    {
        var tasks = await study.GetBranchProgressAsync(organisationId, context.NowUtc, ct);
        return OutboundReply.FromText(templates.Render("progress", new
        {
            branch = context.Group?.OrganisationName,
            tasks = tasks.Select(t => new
            {
                title = t.Title,
                done = t.Done,
                total = t.Total,
                due_days = display.DaysUntil(t.DueAt, context.NowUtc),
                pending_names = t.PendingNames,
            }).ToList(),
        }, group: true));
    }
}
