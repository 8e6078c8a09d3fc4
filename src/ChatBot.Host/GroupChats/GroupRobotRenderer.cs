using ChatBot.Channels.DingTalk;
using ChatBot.Channels.WeCom;

namespace ChatBot.Host.GroupChats;

/// <summary>Turns a channel-free <see cref="GroupPush"/> into each robot's message JSON.</summary>
public static class GroupRobotRenderer
{
    private const int MaxWeComJumps = WeComMessages.MaxJumps;
    private const int MaxWeComArticles = WeComMessages.MaxArticles;

    public static DingTalkRobotMessage ForDingTalk(GroupPush push)
    {
        ArgumentNullException.ThrowIfNull(push);
        switch (push.Kind)
        {
            case GroupPushKind.Text:
                // A mention only shows when the text also carries "@mobile".
                var mentions = push.MentionMobiles.Where(m => !push.Text.Contains('@' + m, StringComparison.Ordinal)).Select(m => '@' + m);
                var text = string.Join(' ', new[] { push.Text }.Concat(mentions));
                return DingTalkRobotMessage.ForText(text, push.HasMentions
                    ? new DingTalkAt { AtMobiles = push.MentionMobiles.Count > 0 ? push.MentionMobiles : null, IsAtAll = push.MentionAll }
                    : null);
            case GroupPushKind.Markdown:
                return DingTalkRobotMessage.ForMarkdown(TitleOf(push), push.Text);
            case GroupPushKind.Card when push.Links.Count > 0:
                return DingTalkRobotMessage.ForActionCard(push.Links.Count == 1
                    ? new DingTalkActionCard { Title = TitleOf(push), Text = CardText(push), SingleTitle = push.Links[0].Title, SingleUrl = push.Links[0].Url }
                    : new DingTalkActionCard
                    {
                        Title = TitleOf(push),
                        Text = CardText(push),
                        Buttons = push.Links.Select(l => new DingTalkActionButton(l.Title, l.Url)).ToList(),
                    });
            case GroupPushKind.Card:
                return DingTalkRobotMessage.ForMarkdown(TitleOf(push), CardText(push));
            case GroupPushKind.News:
                return new DingTalkRobotMessage
                {
                    MsgType = "feedCard",
                    FeedCard = new DingTalkFeedCard(push.Links.Select(l => new DingTalkFeedLink(l.Title, l.Url, l.PictureUrl ?? "")).ToList()),
                };
            default:
                throw new ArgumentOutOfRangeException(nameof(push), push.Kind, "unknown group push kind");
        }
    }

    public static WeComRobotMessage ForWeCom(GroupPush push)
    {
        ArgumentNullException.ThrowIfNull(push);
        switch (push.Kind)
        {
            case GroupPushKind.Text:
                var mobiles = push.MentionAll ? push.MentionMobiles.Append("@all").ToList() : push.MentionMobiles;
                return WeComMessages.Text(push.Text, mentionedMobileList: mobiles);
            case GroupPushKind.Markdown:
                // WeCom markdown has no title field; the title becomes the first line.
                return WeComMessages.Markdown(string.IsNullOrWhiteSpace(push.Title) ? push.Text : $"**{push.Title}**\n{push.Text}");
            case GroupPushKind.Card when push.Links.Count > 0:
                return WeComMessages.TextNotice(
                    TitleOf(push),
                    push.Links[0].Url,
                    subTitleText: string.IsNullOrWhiteSpace(push.Text) ? null : push.Text,
                    jumps: push.Links.Take(MaxWeComJumps).Select(l => new WeComJump(l.Title, l.Url)).ToList());
            case GroupPushKind.Card:
                return WeComMessages.Markdown($"**{TitleOf(push)}**\n{push.Text}");
            case GroupPushKind.News:
                return WeComMessages.News(push.Links.Take(MaxWeComArticles)
                    .Select(l => new WeComArticle { Title = l.Title, Description = l.Description, Url = l.Url, PicUrl = l.PictureUrl })
                    .ToList());
            default:
                throw new ArgumentOutOfRangeException(nameof(push), push.Kind, "unknown group push kind");
        }
    }

    private static string TitleOf(GroupPush push) =>
        !string.IsNullOrWhiteSpace(push.Title)
            ? push.Title
            : push.Text.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "";

    private static string CardText(GroupPush push) =>
        string.IsNullOrWhiteSpace(push.Title) ? push.Text : $"### {push.Title}\n\n{push.Text}";
}
