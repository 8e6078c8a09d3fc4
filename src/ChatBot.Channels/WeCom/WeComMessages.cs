namespace ChatBot.Channels.WeCom;

/// <summary>A link for <see cref="WeComMessages.TextNotice"/>'s jump list.</summary>
public sealed record WeComJump(string Title, string Url);

/// <summary>
/// Builders for WeCom group robot messages. Over-long text is cut (the platform answers 45002 otherwise, or cuts
/// bytes mid-character); structural mistakes such as nine articles throw, because no cut can fix them.
/// </summary>
public static class WeComMessages
{
    public const int MaxTextBytes = 2048;
    public const int MaxMarkdownBytes = 4096;
    public const int MaxArticles = 8;
    public const int MaxArticleTitleBytes = 128;
    public const int MaxArticleDescriptionBytes = 512;
    public const int MaxJumps = 3;

    public static WeComRobotMessage Text(string content, IReadOnlyList<string>? mentionedList = null, IReadOnlyList<string>? mentionedMobileList = null)
    {
        RequireContent(content, nameof(content));
        return new WeComRobotMessage
        {
            MsgType = "text",
            Text = new WeComText
            {
                Content = Utf8Limits.TruncateAtLine(content, MaxTextBytes),
                MentionedList = NullIfEmpty(mentionedList),
                MentionedMobileList = NullIfEmpty(mentionedMobileList),
            },
        };
    }

    public static WeComRobotMessage Markdown(string content)
    {
        RequireContent(content, nameof(content));
        return new WeComRobotMessage { MsgType = "markdown", Markdown = new WeComMarkdown(Utf8Limits.TruncateAtLine(content, MaxMarkdownBytes)) };
    }

    public static WeComRobotMessage News(IReadOnlyList<WeComArticle> articles)
    {
        ArgumentNullException.ThrowIfNull(articles);
        if (articles.Count is 0 or > MaxArticles)
            throw new ArgumentException($"A WeCom news message holds 1 to {MaxArticles} articles (got {articles.Count}).", nameof(articles));
        var fitted = articles.Select(a =>
        {
            RequireContent(a.Title, nameof(articles));
            RequireHttpUrl(a.Url, nameof(articles));
            return a with
            {
                Title = Utf8Limits.TruncateAtChar(a.Title, MaxArticleTitleBytes),
                Description = a.Description is null ? null : Utf8Limits.TruncateAtChar(a.Description, MaxArticleDescriptionBytes),
            };
        }).ToList();
        return new WeComRobotMessage { MsgType = "news", News = new WeComNews(fitted) };
    }

    /// <summary>A text_notice template card; a tap on the card opens <paramref name="url"/>.</summary>
    public static WeComRobotMessage TextNotice(
        string title, string url, string? description = null, string? subTitleText = null, IReadOnlyList<WeComJump>? jumps = null)
    {
        RequireContent(title, nameof(title));
        RequireHttpUrl(url, nameof(url));
        if (jumps is { Count: > MaxJumps })
            throw new ArgumentException($"A WeCom template card holds at most {MaxJumps} jump links (got {jumps.Count}).", nameof(jumps));
        foreach (var jump in jumps ?? [])
        {
            RequireContent(jump.Title, nameof(jumps));
            RequireHttpUrl(jump.Url, nameof(jumps));
        }

        return new WeComRobotMessage
        {
            MsgType = "template_card",
            TemplateCard = new WeComTemplateCard
            {
                CardType = "text_notice",
                MainTitle = new WeComCardTitle { Title = title, Desc = string.IsNullOrEmpty(description) ? null : description },
                SubTitleText = string.IsNullOrEmpty(subTitleText) ? null : subTitleText,
                JumpList = jumps is { Count: > 0 }
                    ? jumps.Select(j => new WeComCardJump { Title = j.Title, Url = j.Url }).ToList()
                    : null,
                CardAction = new WeComCardAction { Url = url },
            },
        };
    }

    private static void RequireContent(string? value, string paramName)
    {
        // WeCom answers 44004 for empty content; failing here keeps the reason next to the caller.
        if (string.IsNullOrWhiteSpace(value))
            throw new ArgumentException("WeCom robot messages need non-empty text.", paramName);
    }

    private static void RequireHttpUrl(string? url, string paramName)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
            throw new ArgumentException($"WeCom links must be absolute http(s) URLs (got '{url}').", paramName);
    }

    private static IReadOnlyList<string>? NullIfEmpty(IReadOnlyList<string>? list) => list is { Count: > 0 } ? list : null;
}
