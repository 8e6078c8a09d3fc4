using ChatBot.Core.Features;
using ChatBot.Core.Messaging;
using ChatBot.Core.Search;

namespace ChatBot.Core.Conversation.Handlers;

/// <summary>政策 &lt;关键词&gt; and free-text questions: the top three published policy items with a link each.</summary>
public sealed class PolicyHandler(IPolicySearch search, IMemberLinks links, IReplyTemplates templates, SessionState session)
{
    public async Task<OutboundReply> SearchAsync(ConversationContext context, string query, bool explicitCommand, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(query))
            return OutboundReply.FromText(templates.Render("policy", new { outcome = "usage" }, context.IsGroup));

        var hits = search.Search(query, 3);
        if (hits.Count == 0)
            return OutboundReply.FromText(templates.Render("policy", new { outcome = "none", query, explicit_command = explicitCommand }, context.IsGroup));

        if (!context.IsGroup)
            await session.SetChoiceAsync(context.SessionKey, new ChoiceState(ChoiceState.Policies, hits.Select(h => h.ContentItemId).ToArray(), hits.Select(h => h.Title).ToArray()), ct);
        return OutboundReply.FromText(templates.Render("policy", new
        {
            outcome = "found",
            query,
            items = hits.Select((h, i) => new { number = i + 1, title = h.Title, summary = h.Summary, url = links.Policy(h.ContentItemId) }).ToList(),
        }, context.IsGroup));
    }

    /// <summary>A bare number after a result list opens that item as a one-article reply.</summary>
    public OutboundReply Open(int contentItemId, string title) =>
        OutboundReply.FromArticle(new ArticleLink(title, templates.Render("policy_open", new { title }), links.Policy(contentItemId)));
}
