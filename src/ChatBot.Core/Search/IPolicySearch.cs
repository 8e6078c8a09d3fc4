using ChatBot.Core.Domain;

namespace ChatBot.Core.Search;

public sealed record SearchHit(int ContentItemId, string Title, string Summary, float Score);

public interface IPolicySearch
{
    IReadOnlyList<SearchHit> Search(string query, int top = 3, ContentKind? kind = ContentKind.Policy);
}
