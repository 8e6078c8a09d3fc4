using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using ChatBot.Channels.WeChat;
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
public sealed partial class BroadcastComposer(SignedMemberLinks links, BroadcastRoutingPolicy policy)
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

    public MemberMessage ForMember(BroadcastSnapshot snapshot, int memberId, bool reachable) =>
        new(MessageKinds.Broadcast, snapshot.Title, snapshot.Text, reachable ? MemberUrl(snapshot, memberId) : null);

    /// <summary>Group chats get a card with the page link (policies and notices; a lesson link is per member, so none).</summary>
    public GroupPush ForGroupChat(BroadcastSnapshot snapshot) =>
        snapshot is { ContentItemId: { } id, ContentKind: not ContentKind.Lesson }
            ? GroupPush.Card(snapshot.Title, snapshot.Text, new GroupPushLink("查看详情", links.Policy(id)))
            : GroupPush.MarkdownText(snapshot.Title, snapshot.Text);

    /// <summary>What each route would send, rendered for one sample member (the first reachable one).</summary>
    public Dictionary<string, JsonElement> Samples(BroadcastSnapshot snapshot, int sampleMemberId)
    {
        var message = ForMember(snapshot, sampleMemberId, reachable: true);
        var plain = PlainText(message.Text);
        var withLink = message.Url is null ? $"【{message.Title}】\n{plain}" : $"【{message.Title}】\n{plain}\n\n查看详情：{message.Url}";
        var push = ForGroupChat(snapshot);
        var samples = new Dictionary<string, object>
        {
            [nameof(DeliveryRoute.WeChatCustomerService)] = new { touser = "OPENID", msgtype = "text", text = new { content = withLink } },
            [nameof(DeliveryRoute.WeChatTemplate)] = new
            {
                touser = "OPENID",
                template_id = policy.TemplateId(MessageKinds.Broadcast) ?? "(WeChat:Templates:broadcast 未配置)",
                url = message.Url,
                client_msg_id = "bc:{runId}:m:{memberId}",
                data = new Dictionary<string, object>
                {
                    ["thing1"] = new { value = WeChatTemplateMessage.TrimField(message.Title) },
                    ["thing2"] = new { value = WeChatTemplateMessage.TrimField(plain.ReplaceLineEndings(" ")) },
                },
            },
            [nameof(DeliveryRoute.WeChatMassSend)] = new { touser = new[] { "OPENID" }, msgtype = "text", text = new { content = withLink }, clientmsgid = "bc:{runId}" },
            [nameof(DeliveryRoute.DingTalkOneToOne)] = message.Url is null
                ? new { msgKey = "sampleMarkdown", msgParam = JsonSerializer.Serialize(new { title = message.Title, text = message.Text }, SampleJson) }
                : new
                {
                    msgKey = "sampleActionCard",
                    msgParam = JsonSerializer.Serialize(new { title = message.Title, text = message.Text, singleTitle = "查看详情", singleURL = message.Url }, SampleJson),
                },
            [nameof(DeliveryRoute.DingTalkRobot)] = GroupRobotRenderer.ForDingTalk(push),
            [nameof(DeliveryRoute.WeComRobot)] = GroupRobotRenderer.ForWeCom(push),
        };
        return samples.ToDictionary(kv => kv.Key, kv => JsonSerializer.SerializeToElement(kv.Value, kv.Value.GetType(), SampleJson));
    }

    /// <summary>Markdown as a 客服/template text: links as "text (url)", emphasis and headings without their marks.</summary>
    public static string PlainText(string markdown)
    {
        var text = MarkdownLink().Replace(markdown, "$1 ($2)");
        text = Emphasis().Replace(text, "");
        text = Heading().Replace(text, "");
        return text.Trim();
    }

    [GeneratedRegex(@"\[([^\]]+)\]\(([^)\s]+)\)")]
    private static partial Regex MarkdownLink();

    [GeneratedRegex(@"(\*\*|__|`)")]
    private static partial Regex Emphasis();

    [GeneratedRegex(@"(?m)^#{1,6}\s+")]
    private static partial Regex Heading();
}
