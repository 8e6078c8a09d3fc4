using ChatBot.Core.Domain;

namespace ChatBot.Core.Search;

/// <summary>Full-text search over published content, tuned for members' colloquial Chinese questions.</summary>
public interface IPolicySearch
{
    /// <summary>
    /// Best matches for <paramref name="query"/>, most relevant first; empty when nothing is relevant enough
    /// (greetings, chit-chat, unrelated topics). Never throws on odd input.
    /// </summary>
    /// <param name="kind">Only items of this kind; null searches every kind.</param>
    IReadOnlyList<SearchHit> Search(string? query, int top = 3, ContentKind? kind = ContentKind.Policy);

    /// <summary>
    /// <see cref="Search"/>, and when nothing passes the relevance gate: whether the question is in the bot's domain
    /// (<see cref="SearchDomain"/>) and, if so, the closest guides without the gate, for a 可能相关 reply.
    /// </summary>
    /// <param name="knownInDomain">The caller knows it is a policy question (政策 关键词): offer the closest guides whatever the words.</param>
    PolicyAnswer Answer(string? query, int top = 3, ContentKind? kind = ContentKind.Policy, bool knownInDomain = false);
}

/// <param name="Hits">Confident answers (passed the relevance gate); empty when there are none.</param>
/// <param name="Related">Only when <paramref name="Hits"/> is empty and the question is in the domain: the closest items, best first.</param>
/// <param name="InDomain">True when there are hits, or the question names a domain word or a thesaurus variant.</param>
public sealed record PolicyAnswer(IReadOnlyList<SearchHit> Hits, IReadOnlyList<SearchHit> Related, bool InDomain)
{
    public bool IsConfident => Hits.Count > 0;
}

public sealed record SearchHit(int ContentItemId, string Title, string Summary, float Score);
