using ChatBot.Core.Domain;
using ChatBot.Core.Features;
using ChatBot.Core.Messaging;
using ChatBot.Core.Search;
using Microsoft.Extensions.Options;

namespace ChatBot.Core.Conversation.Handlers;

/// <summary>
/// 政策 &lt;关键词&gt; and free-text questions: the top three published policy items with a link each. No dead end:
/// an in-domain question with no confident answer gets the closest guides marked 可能相关 and a way to ask a person
/// (and goes on the admins' unanswered list); anything else gets a short note of what the bot can do.
/// </summary>
public sealed class PolicyHandler(
    IPolicySearch search, IMemberLinks links, IReplyTemplates templates, SessionState session,
    IUnansweredQuestions unanswered, IOptions<AssistanceOptions> assistance)
{
    private string Contact => assistance.Value.CommitteeContact.Trim();

    public async Task<OutboundReply> SearchAsync(ConversationContext context, string query, bool explicitCommand, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(query))
            return Reply(context, "policy", new { outcome = "usage" });

        var answer = search.Answer(query, 3, knownInDomain: explicitCommand);
        if (answer.IsConfident)
            return await ListAsync(context, query, "found", answer.Hits, ct);

        if (!answer.InDomain)
            return Reply(context, "policy", new { outcome = "outside", query });

        var id = await unanswered.RecordAsync(new UnansweredReport(
            query, context.Message.Channel, OrganisationOf(context), null, UnansweredKind.Fallback,
            answer.Related.Select(h => h.Title).ToList(), HumanRequested: false, context.NowUtc), ct);
        if (!context.IsGroup)
            await session.SetLastUnansweredAsync(context.SessionKey, id, ct);
        return await ListAsync(context, query, answer.Related.Count > 0 ? "related" : "none", answer.Related, ct);
    }

    /// <summary>
    /// 人工 [问题]: records the question (or the last 可能相关 one) for a person and says what happens next.
    /// A bound member's id is kept with the request so someone can get back to them; nothing else is.
    /// </summary>
    public async Task<OutboundReply> HumanAsync(ConversationContext context, string question, CancellationToken ct)
    {
        var memberId = context.Member?.Id;
        if (!string.IsNullOrWhiteSpace(question))
        {
            await unanswered.RecordAsync(new UnansweredReport(
                question, context.Message.Channel, OrganisationOf(context), memberId, UnansweredKind.Human,
                [], HumanRequested: true, context.NowUtc), ct);
            await session.ClearLastUnansweredAsync(context.SessionKey, ct);
            return HumanReply(context, "recorded", UnansweredQuestion.Redact(question));
        }

        if (await session.GetLastUnansweredAsync(context.SessionKey, ct) is { } last
            && await unanswered.RequestHumanAsync(last, memberId, ct))
        {
            await session.ClearLastUnansweredAsync(context.SessionKey, ct);
            return HumanReply(context, "recorded", null);
        }

        return HumanReply(context, "usage", null);
    }

    /// <summary>A bare number after a result list opens that item as a one-article reply.</summary>
    public OutboundReply Open(int contentItemId, string title) =>
        OutboundReply.FromArticle(new ArticleLink(title, templates.Render("policy_open", new { title }), links.Policy(contentItemId)));

    private async Task<OutboundReply> ListAsync(ConversationContext context, string query, string outcome, IReadOnlyList<SearchHit> hits, CancellationToken ct)
    {
        if (!context.IsGroup && hits.Count > 0)
            await session.SetChoiceAsync(context.SessionKey, new ChoiceState(ChoiceState.Policies, hits.Select(h => h.ContentItemId).ToArray(), hits.Select(h => h.Title).ToArray()), ct);
        return Reply(context, "policy", new
        {
            outcome,
            query,
            explicit_command = false,
            contact = Contact,
            items = hits.Select((h, i) => new { number = i + 1, title = h.Title, summary = h.Summary, url = links.Policy(h.ContentItemId) }).ToList(),
        });
    }

    private OutboundReply HumanReply(ConversationContext context, string outcome, string? question) =>
        Reply(context, "human", new { outcome, question, contact = Contact, bound = context.Member is not null });

    private static int? OrganisationOf(ConversationContext context) => context.Member?.OrganisationId ?? context.Group?.OrganisationId;

    private OutboundReply Reply(ConversationContext context, string template, object model) =>
        OutboundReply.FromText(templates.Render(template, model, context.IsGroup));
}
