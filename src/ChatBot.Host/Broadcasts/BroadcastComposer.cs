using System.Text.Json;
using System.Text.Json.Serialization;
using ChatBot.Channels.DingTalk;
using ChatBot.Channels.WeChat;
using ChatBot.Core.Messaging;
using ChatBot.Core.Broadcasts;
using ChatBot.Core.Delivery;
using ChatBot.Core.Domain;
using ChatBot.Host.Features;
using ChatBot.Host.GroupChats;

namespace ChatBot.Host.Broadcasts;

/// <summary>
/// Turns a broadcast snapshot into the outbox payloads (a <see cref="MemberMessage"/> per member with its own signed
/// link, one <see cref="GroupPush"/> for every group chat) and into the preflight's sample per channel.
/// </summary>
public sealed class BroadcastComposer(SignedMemberLinks links, BroadcastRoutingPolicy policy)
{
    private static readonly JsonSerializerOptions SampleJson = new(JsonSerializerDefaults.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>The member's link to the content item: a lesson link is signed for this member (it credits their reading).</summary>
    public string? MemberUrl(BroadcastSnapshot snapshot, int memberId) => snapshot switch
    {
        { ContentItemId: { } id, ContentKind: ContentKind.Lesson } => links.Lesson(memberId, id),
        { ContentItemId: { } id } => links.Policy(id),
        _ => null,
    };

    /// <summary>Members get the text as plain chat text (WeChat shows Markdown marks as typed); group chats keep the Markdown.</summary>
    public MemberMessage ForMember(BroadcastSnapshot snapshot, int memberId, bool reachable) =>
        new(MessageKinds.Broadcast, snapshot.Title, PlainTextFromMarkdown.Render(snapshot.Text), reachable ? MemberUrl(snapshot, memberId) : null, snapshot.Urgent);

    /// <summary>Group chats get a card with the page link (policies and notices; a lesson link is per member, so none).</summary>
    public GroupPush ForGroupChat(BroadcastSnapshot snapshot) =>
        snapshot is { ContentItemId: { } id, ContentKind: not ContentKind.Lesson }
            ? GroupPush.Card(snapshot.Title, snapshot.Text, new GroupPushLink("查看详情", links.Policy(id)))
            : GroupPush.MarkdownText(snapshot.Title, snapshot.Text);

    /// <summary>
    /// What each route would send, rendered for one sample member (the first reachable one) the way the sender renders
    /// it (<see cref="Delivery.DeliveryDispatcher"/>, <see cref="GroupRobotRenderer"/>).
    /// </summary>
    public Dictionary<string, JsonElement> Samples(BroadcastSnapshot snapshot, int sampleMemberId, DateTime nowUtc)
    {
        var message = ForMember(snapshot, sampleMemberId, reachable: true);
        var csText = Delivery.DeliveryDispatcher.RenderCustomerServiceText(message);
        var push = ForGroupChat(snapshot);
        var template = policy.Template(MessageKinds.Broadcast);
        var localTime = TimeZoneInfo.ConvertTimeFromUtc(nowUtc, policy.TimeZone).ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture);
        var samples = new Dictionary<string, object>
        {
            [nameof(DeliveryRoute.WeChatCustomerService)] = new { touser = "OPENID", msgtype = "text", text = new { content = csText } },
            [nameof(DeliveryRoute.WeChatTemplate)] = template is null
                ? new { configured = false, hint = "WeChat:Templates:broadcast 未配置：客服窗口外的微信成员无法送达" }
                : new
                {
                    touser = "OPENID",
                    template_id = template.TemplateId,
                    url = message.Url,
                    client_msg_id = "bc:{runId}:m:{memberId}",
                    data = template.Fields.ToDictionary(f => f.Key, f => (object)new
                    {
                        value = WeChatTemplateMessage.TrimField(f.Value switch
                        {
                            "title" => message.Title,
                            "text" => message.Text,
                            "time" => localTime,
                            _ => f.Value.TrimStart('='),
                        }),
                    }),
                },
            [nameof(DeliveryRoute.DingTalkOneToOne)] = (object?)DingTalkMessageMapper.ToTemplateMessage(
                message.Url is null
                    ? OutboundReply.FromText(message.Text.StartsWith(message.Title, StringComparison.Ordinal) ? message.Text : message.Title + "\n" + message.Text)
                    : OutboundReply.FromArticle(new ArticleLink(message.Title, message.Text, message.Url)),
                DingTalkChannelSender.ArticleButtonTitle) ?? new { },
            [nameof(DeliveryRoute.DingTalkRobot)] = GroupRobotRenderer.ForDingTalk(push),
            [nameof(DeliveryRoute.WeComRobot)] = GroupRobotRenderer.ForWeCom(push),
        };
        return samples.ToDictionary(kv => kv.Key, kv => JsonSerializer.SerializeToElement(kv.Value, kv.Value.GetType(), SampleJson));
    }
}
