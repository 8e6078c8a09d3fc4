namespace ChatBot.Core.Messaging;

public enum ReplyKind
{
    None = 0,
    Text = 1,
    Article = 2,
}

public sealed record ArticleLink(string Title, string Description, string Url, string? PictureUrl = null);

/// <summary>What the engine answers, free of channel markup; each adapter renders it its own way.</summary>
public sealed record OutboundReply
{
    public ReplyKind Kind { get; init; }
    public string Text { get; init; } = "";
    public ArticleLink? Article { get; init; }

    public static OutboundReply None { get; } = new() { Kind = ReplyKind.None };

    public static OutboundReply FromText(string text) => new() { Kind = ReplyKind.Text, Text = text };

    public static OutboundReply FromArticle(ArticleLink article) =>
        new() { Kind = ReplyKind.Article, Article = article, Text = article.Title };
}
