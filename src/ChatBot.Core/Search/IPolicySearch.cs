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
}

public sealed record SearchHit(int ContentItemId, string Title, string Summary, float Score);
