using System.Text;
using ChatBot.Core.Domain;
using ChatBot.Core.Messaging;

namespace ChatBot.Channels.DingTalk;

/// <summary>Pure mapping between DingTalk robot payloads and the channel-free messaging types.</summary>
public static class DingTalkMessageMapper
{
    public const string DedupePrefix = "dt:";
    private const string GroupConversationType = "2";
    /// <summary>The markdown title is the notification preview; longer titles are cut by the client anyway.</summary>
    private const int MaxTitleChars = 30;

    /// <summary>
    /// DingTalk's markdown doc asks for a line break as "\n" with two spaces on each side: a bare "\n" is a soft
    /// break and the lines run together, and "\n\n" would put a blank line between every line of a numbered menu.
    /// </summary>
    internal const string MarkdownLineBreak = "  \n  ";

    public static InboundMessage ToInbound(DingTalkRobotCallback callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var isText = string.Equals(callback.MsgType, "text", StringComparison.Ordinal);
        var senderId = FirstNonEmpty(callback.SenderStaffId, callback.SenderId) ?? "";
        var msgId = callback.MsgId;
        return new InboundMessage
        {
            Channel = Channel.DingTalk,
            AccountId = FirstNonEmpty(callback.RobotCode, callback.ChatbotUserId) ?? "",
            SenderId = senderId,
            SenderName = callback.SenderNick,
            ConversationId = callback.ConversationType == GroupConversationType ? callback.ConversationId : null,
            Kind = isText ? InboundKind.Text : InboundKind.Other,
            // The @mention is removed by DingTalk but the space after it stays.
            Text = isText ? callback.Text?.Content?.Trim() : null,
            PlatformMessageId = msgId,
            DedupeKey = DedupePrefix + (string.IsNullOrEmpty(msgId)
                ? $"{callback.ConversationId}:{senderId}:{callback.CreateAt}"
                : msgId),
            ReceivedAt = callback.CreateAt > 0 && callback.CreateAt <= DateTimeOffset.MaxValue.ToUnixTimeMilliseconds()
                ? DateTimeOffset.FromUnixTimeMilliseconds(callback.CreateAt).UtcDateTime
                : default,
        };
    }

    /// <summary>
    /// Renders a reply for the sessionWebhook or a custom robot. Text becomes markdown so line breaks and numbered
    /// choices survive; <paramref name="mentionStaffId"/> (the asker, in a group) is @-mentioned, which DingTalk
    /// only shows when the text also contains "@userid". Articles become a single-button action card, which
    /// cannot carry a mention. Returns null for <see cref="ReplyKind.None"/> or an empty reply.
    /// </summary>
    public static DingTalkRobotMessage? ToRobotMessage(OutboundReply reply, string? mentionStaffId, string articleButtonTitle)
    {
        ArgumentNullException.ThrowIfNull(reply);
        switch (reply.Kind)
        {
            case ReplyKind.Text when !string.IsNullOrWhiteSpace(reply.Text):
                var mention = string.IsNullOrWhiteSpace(mentionStaffId) ? null : mentionStaffId;
                var body = mention is null ? reply.Text : $"@{mention}\n{reply.Text}";
                return DingTalkRobotMessage.ForMarkdown(
                    TitleFrom(reply.Text),
                    ToMarkdownText(body),
                    mention is null ? null : new DingTalkAt { AtUserIds = [mention] });
            case ReplyKind.Article when reply.Article is { } article:
                return DingTalkRobotMessage.ForActionCard(new DingTalkActionCard
                {
                    Title = article.Title,
                    Text = ArticleMarkdown(article),
                    SingleTitle = articleButtonTitle,
                    SingleUrl = article.Url,
                });
            default:
                return null;
        }
    }

    /// <summary>The same reply for the OpenAPI (proactive sends, or after the sessionWebhook expired).</summary>
    public static DingTalkTemplateMessage? ToTemplateMessage(OutboundReply reply, string articleButtonTitle)
    {
        ArgumentNullException.ThrowIfNull(reply);
        return reply.Kind switch
        {
            ReplyKind.Text when !string.IsNullOrWhiteSpace(reply.Text) =>
                DingTalkTemplateMessage.SampleMarkdown(TitleFrom(reply.Text), ToMarkdownText(reply.Text)),
            ReplyKind.Article when reply.Article is { } article =>
                DingTalkTemplateMessage.SampleActionCard(article.Title, ArticleMarkdown(article), articleButtonTitle, article.Url),
            _ => null,
        };
    }

    /// <summary>
    /// A text reply as DingTalk markdown. Replies are plain text by contract and may quote what a member typed
    /// (a search term, a name), so markdown syntax in them is escaped: otherwise "[领奖](http://…)" or
    /// "![](http://…)" sent to the bot would come back as a link or tracking image posted by the bot.
    /// </summary>
    internal static string ToMarkdownText(string text) =>
        EscapeMarkdown(text.ReplaceLineEndings("\n").TrimEnd('\n')).Replace("\n", MarkdownLineBreak, StringComparison.Ordinal);

    /// <summary>
    /// Backslash-escapes what can turn text into a link, an image or HTML: square brackets (links and images, so
    /// "![](…)" and "[…](…)" stay literal), angle brackets (autolinks, tags) and the backslash itself. Emphasis marks
    /// are left alone: they cannot carry a URL, and user ids in an @mention may contain underscores.
    /// </summary>
    internal static string EscapeMarkdown(string text)
    {
        var sb = new StringBuilder(text.Length + 8);
        foreach (var ch in text)
        {
            if (ch is '\\' or '[' or ']' or '<' or '>')
                sb.Append('\\');
            sb.Append(ch);
        }
        return sb.ToString();
    }

    internal static string TitleFrom(string text)
    {
        var firstLine = text.ReplaceLineEndings("\n")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .FirstOrDefault() ?? "";
        if (firstLine.Length <= MaxTitleChars)
            return firstLine;
        var cut = MaxTitleChars - 1;
        if (char.IsHighSurrogate(firstLine[cut - 1]))
            cut--;
        return string.Concat(firstLine.AsSpan(0, cut), "…");
    }

    private static string ArticleMarkdown(ArticleLink article)
    {
        var parts = new List<string>();
        if (!string.IsNullOrWhiteSpace(article.PictureUrl))
            parts.Add($"![]({article.PictureUrl})");
        parts.Add($"### {article.Title}");
        if (!string.IsNullOrWhiteSpace(article.Description))
            parts.Add(ToMarkdownText(article.Description));
        return string.Join("\n\n", parts);
    }

    private static string? FirstNonEmpty(string? a, string? b) =>
        !string.IsNullOrWhiteSpace(a) ? a : !string.IsNullOrWhiteSpace(b) ? b : null;
}
