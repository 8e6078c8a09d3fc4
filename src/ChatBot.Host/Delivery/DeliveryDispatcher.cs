using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ChatBot.Channels.DingTalk;
using ChatBot.Channels.Robots;
using ChatBot.Channels.WeChat;
using CustomerServiceWindow = ChatBot.Core.Delivery.CustomerServiceWindow;
using ChatBot.Core.Conversation;
using ChatBot.Core.Delivery;
using ChatBot.Core.Domain;
using ChatBot.Core.Messaging;
using ChatBot.Host.Configuration;
using ChatBot.Host.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ChatBot.Host.Delivery;

using Delivery = ChatBot.Core.Domain.Delivery;

public enum DeliveryResultKind
{
    Sent,
    Failed,
    /// <summary>The request went out and no answer came back: never resent automatically.</summary>
    Unknown,
    Skipped,
    /// <summary>A passing failure: Pending again after a backoff, Failed after the attempt limit.</summary>
    Retry,
    /// <summary>Not now (quiet hours, a throttled platform): Pending again at <see cref="DeliveryResult.At"/>, no attempt used.</summary>
    Defer,
}

/// <summary>What sending one claimed row came to; <see cref="Route"/> is set when the row went by another route than stored.</summary>
public readonly record struct DeliveryResult(
    DeliveryResultKind Kind, string? Reason = null, string? PlatformMessageId = null, DeliveryRoute? Route = null, DateTime? At = null)
{
    public static DeliveryResult Sent(DeliveryRoute route, string? messageId = null) => new(DeliveryResultKind.Sent, null, messageId, route);
    public static DeliveryResult Failed(string reason, DeliveryRoute? route = null) => new(DeliveryResultKind.Failed, reason, Route: route);
    public static DeliveryResult Unknown(string reason, DeliveryRoute? route = null) => new(DeliveryResultKind.Unknown, reason, Route: route);
    public static DeliveryResult Skipped(string reason, DeliveryRoute? route = null) => new(DeliveryResultKind.Skipped, reason, Route: route);
    public static DeliveryResult Retry(string reason, DeliveryRoute? route = null, DateTime? notBefore = null) => new(DeliveryResultKind.Retry, reason, Route: route, At: notBefore);
    public static DeliveryResult Defer(DateTime until, string reason, DeliveryRoute? route = null) => new(DeliveryResultKind.Defer, reason, Route: route, At: until);
}

/// <summary>
/// Sends one claimed member / reply row by its route (group-chat robots go through <see cref="GroupChats.GroupPushProcessor"/>,
/// which keeps their order and shared rate limit). Member rows are routed again here, at send time, by
/// <see cref="DeliveryRouter"/> — the window may have closed or quiet hours begun since the row was written — so the
/// window rule lives in <see cref="CustomerServiceWindow"/> only. Resolved per recipient in a DI scope of its own.
/// Throws only for a poison row (a payload that cannot be read or rendered); the sender marks that row Failed.
/// </summary>
public sealed class DeliveryDispatcher(
    IServiceProvider services,
    IChatBotDbContextFactory dbs,
    IOptions<SchedulingOptions> scheduling,
    IOptionsMonitor<Dictionary<string, WeChatTemplateSettings>> templates,
    IOptions<DingTalkOptions> dingTalk,
    TimeProvider time)
{
    internal const string ChannelOffReason = "channel not configured on this host";

    public async Task<DeliveryResult> SendAsync(Delivery row, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(row);
        if (row.Route == DeliveryRoute.DingTalkSession)
            return await SendDingTalkAnswerAsync(row, ct);
        if (row.MemberId is not null)
            return await SendToMemberAsync(row, ct);
        if (row.Route == DeliveryRoute.WeChatCustomerService)
            return await SendWeChatReplyAsync(row, ct);
        return DeliveryResult.Failed($"no sender for route {row.Route} without a member");
    }

    // ---- member rows -------------------------------------------------------------------------------------------

    private async Task<DeliveryResult> SendToMemberAsync(Delivery row, CancellationToken ct)
    {
        var message = MemberMessage.FromJson(row.Payload);
        var now = time.GetUtcNow().UtcDateTime;
        List<ChannelIdentity> identities;
        await using (var db = dbs.CreateDbContext())
        {
            identities = await db.ChannelIdentities.AsNoTracking()
                .Where(i => i.MemberId == row.MemberId && i.State == BindingState.Bound)
                .OrderByDescending(i => i.LastInboundAt)
                .ToListAsync(ct);
        }
        var weChat = identities.FirstOrDefault(i => i.Channel == Channel.WeChat);
        var ding = identities.FirstOrDefault(i => i.Channel == Channel.DingTalk);
        var facts = new MemberFacts(
            row.MemberId!.Value,
            weChat is null ? null : new WeChatAccountFacts(weChat.Id, weChat.ExternalId, weChat.Subscribed, weChat.LastInboundAt, weChat.CustomerServiceSendsInWindow, 0),
            ding is null ? null : new DingTalkAccountFacts(ding.Id, ding.ExternalId));
        var weChatSender = services.GetService<WeChatChannelSender>();
        var templateMap = templates.CurrentValue;
        var policy = SendTimePolicy();
        // A mass-send row reaching the per-row path is one the batcher could not send as 群发 (a job needs two or more
        // followers): it goes by 客服 or template instead, or is unreachable.
        var request = new RouteRequest(message.Kind, Urgent: message.IgnoresQuietHours, MassSend: false);
        var decision = DeliveryRouter.Route(facts, request, policy, now);
        if (!decision.IsReachable)
            return DeliveryResult.Skipped(decision.Reason!.Value.Code());
        var route = decision.Route!.Value;
        if (decision.NotBefore is { } notBefore && notBefore > now)
            return DeliveryResult.Defer(notBefore, "quiet hours", route);

        switch (route)
        {
            case DeliveryRoute.WeChatCustomerService:
                return await SendCustomerServiceAsync(weChatSender!, weChat!, message, ct);
            case DeliveryRoute.WeChatTemplate:
                return await SendTemplateAsync(weChatSender!, weChat!, row, message, templateMap[message.Kind], now, ct);
            case DeliveryRoute.DingTalkOneToOne:
                return await SendDingTalkOneToOneAsync(ding!, message, ct);
            default:
                return DeliveryResult.Failed($"route {route} is not supported by the sender yet", route);
        }
    }

    /// <summary>The routing rules as they stand when a row is sent.</summary>
    internal RoutingPolicy SendTimePolicy() => new(
        templates.CurrentValue.Where(t => !string.IsNullOrWhiteSpace(t.Value.TemplateId)).Select(t => t.Key).ToHashSet(StringComparer.Ordinal),
        QuietHoursPolicy(),
        int.MaxValue, // the budget was applied when the row was written; sending it is not another push
        WeChatEnabled: services.GetService<WeChatChannelSender>() is not null,
        DingTalkEnabled: dingTalk.Value.Enabled);

    internal TimeZoneInfo TimeZone => scheduling.Value.ResolveTimeZone();

    private QuietHours QuietHoursPolicy()
    {
        var (start, end) = scheduling.Value.ParseQuietHours();
        return new QuietHours(start, end, scheduling.Value.ResolveTimeZone());
    }

    /// <summary>客服消息: the text with the member-page link on its own line (WeChat makes it clickable).</summary>
    internal static string RenderCustomerServiceText(MemberMessage message)
    {
        var text = new StringBuilder();
        if (!string.IsNullOrWhiteSpace(message.Title) && !message.Text.StartsWith(message.Title, StringComparison.Ordinal))
            text.Append(message.Title).Append('\n');
        text.Append(message.Text);
        if (!string.IsNullOrWhiteSpace(message.Url))
            text.Append('\n').Append(message.Url);
        return text.ToString();
    }

    private async Task<DeliveryResult> SendCustomerServiceAsync(WeChatChannelSender sender, ChannelIdentity identity, MemberMessage message, CancellationToken ct)
    {
        var outcome = await sender.SendCustomerServiceAsync(identity.ExternalId, OutboundReply.FromText(RenderCustomerServiceText(message)), ct);
        const DeliveryRoute route = DeliveryRoute.WeChatCustomerService;
        switch (outcome.Status)
        {
            case WeChatApiStatus.OutOfWindow:
            case WeChatApiStatus.QuotaExceeded when outcome.ErrorCode == 45047:
                // WeChat knows better than our count: close the window on the identity and route again at once.
                await using (var db = dbs.CreateDbContext())
                {
                    await db.ChannelIdentities.Where(i => i.Id == identity.Id)
                        .ExecuteUpdateAsync(s => s.SetProperty(i => i.CustomerServiceSendsInWindow, CustomerServiceWindow.MessagesPerWindow), ct);
                }
                return DeliveryResult.Retry($"客服 window closed on WeChat ({outcome.ErrorCode}); routing again", route, time.GetUtcNow().UtcDateTime);
            default:
                return FromWeChat(outcome, route, idempotent: false);
        }
    }

    private async Task<DeliveryResult> SendTemplateAsync(
        WeChatChannelSender sender, ChannelIdentity identity, Delivery row, MemberMessage message, WeChatTemplateSettings template, DateTime now, CancellationToken ct)
    {
        var fields = template.Fields.ToDictionary(f => f.Key, f => FieldValue(f.Value, message, now), StringComparer.Ordinal);
        var outcome = await sender.SendTemplateAsync(
            new WeChatTemplateMessage(identity.ExternalId, template.TemplateId, fields, message.Url, ClientMessageId(row.IdempotencyKey)), ct);
        return FromWeChat(outcome, DeliveryRoute.WeChatTemplate, idempotent: true);
    }

    private string FieldValue(string source, MemberMessage message, DateTime now) => source switch
    {
        "title" => message.Title,
        "text" => message.Text,
        "time" => TimeZoneInfo.ConvertTimeFromUtc(now, scheduling.Value.ResolveTimeZone()).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
        _ when source.StartsWith('=') => source[1..],
        _ => throw new InvalidOperationException($"WeChat:Templates:{message.Kind}: unknown field source '{source}' (title, text, time or =literal)"),
    };

    /// <summary>WeChat dedupes template sends by client_msg_id; long keys are hashed to a stable short one.</summary>
    internal static string ClientMessageId(string idempotencyKey) =>
        idempotencyKey.Length <= 64 ? idempotencyKey : "h" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(idempotencyKey)))[..40];

    private async Task<DeliveryResult> SendDingTalkOneToOneAsync(ChannelIdentity identity, MemberMessage message, CancellationToken ct)
    {
        var reply = !string.IsNullOrWhiteSpace(message.Url)
            ? OutboundReply.FromArticle(new ArticleLink(string.IsNullOrWhiteSpace(message.Title) ? message.Text : message.Title, message.Text, message.Url))
            : OutboundReply.FromText(string.IsNullOrWhiteSpace(message.Title) || message.Text.StartsWith(message.Title, StringComparison.Ordinal)
                ? message.Text : message.Title + "\n" + message.Text);
        var template = DingTalkMessageMapper.ToTemplateMessage(reply, DingTalkChannelSender.ArticleButtonTitle);
        if (template is null)
            return DeliveryResult.Skipped("empty message");
        var api = services.GetRequiredService<DingTalkApiClient>();
        var outcome = await api.SendToUsersAsync([identity.ExternalId], template, ct);
        return FromRobot(outcome, DeliveryRoute.DingTalkOneToOne);
    }

    /// <summary>
    /// One 群发 job for rows of one broadcast run (the batcher chose them and their followers). The text is the same for
    /// everyone — a mass message cannot carry a per-member signed link, so the member-page link is left out. An
    /// unanswered submission is Unknown (never resubmitted on its own).
    /// </summary>
    internal async Task<DeliveryResult> SendMassAsync(IReadOnlyList<string> openIds, MemberMessage message, string clientMessageId, CancellationToken ct)
    {
        var sender = services.GetService<WeChatChannelSender>();
        if (sender is null)
            return DeliveryResult.Skipped(UnreachableReason.ChannelOff.Code(), DeliveryRoute.WeChatMassSend);
        var text = RenderCustomerServiceText(message with { Url = null });
        var outcome = await sender.SendMassTextAsync(openIds, text, clientMessageId, ct);
        return outcome.Status == WeChatApiStatus.QuotaExceeded
            ? DeliveryResult.Skipped($"{UnreachableReason.MassQuotaUsed.Code()} ({outcome.ErrorCode})", DeliveryRoute.WeChatMassSend)
            : FromWeChat(outcome, DeliveryRoute.WeChatMassSend, idempotent: false);
    }

    // ---- replies to the account that wrote --------------------------------------------------------------------

    private async Task<DeliveryResult> SendWeChatReplyAsync(Delivery row, CancellationToken ct)
    {
        var payload = DeliveryJson.Deserialize<WeChatReplyPayload>(row.Payload);
        ArgumentException.ThrowIfNullOrEmpty(payload.OpenId);
        ArgumentNullException.ThrowIfNull(payload.Reply);
        if (payload.Reply.Kind == ReplyKind.None)
            return DeliveryResult.Skipped("empty reply");
        var sender = services.GetService<WeChatChannelSender>();
        if (sender is null)
            return DeliveryResult.Skipped(ChannelOffReason);
        if (row.ChannelIdentityId is { } identityId)
        {
            await using var db = dbs.CreateDbContext();
            var identity = await db.ChannelIdentities.AsNoTracking().SingleOrDefaultAsync(i => i.Id == identityId, ct);
            if (identity is not null && !CustomerServiceWindow.For(identity.LastInboundAt, identity.CustomerServiceSendsInWindow, time.GetUtcNow().UtcDateTime).CanSend)
                return DeliveryResult.Skipped(UnreachableReason.WindowClosedNoTemplate.Code());
        }
        var outcome = await sender.SendCustomerServiceAsync(payload.OpenId, payload.Reply, ct);
        return outcome.Status is WeChatApiStatus.OutOfWindow or WeChatApiStatus.QuotaExceeded
            ? DeliveryResult.Skipped($"{UnreachableReason.WindowClosedNoTemplate.Code()} ({outcome.ErrorCode})")
            : FromWeChat(outcome, DeliveryRoute.WeChatCustomerService, idempotent: false);
    }

    private async Task<DeliveryResult> SendDingTalkAnswerAsync(Delivery row, CancellationToken ct)
    {
        var payload = DeliveryJson.Deserialize<DingTalkAnswerPayload>(row.Payload);
        ArgumentNullException.ThrowIfNull(payload.Message);
        ArgumentNullException.ThrowIfNull(payload.Target);
        var reply = payload.Reply;
        if (reply is null)
        {
            var engine = services.GetRequiredService<IConversationEngine>();
            reply = await engine.HandleAsync(payload.Message, ct);
            // Saved before posting: from here on a restart must not run the engine again, and the sweep knows the
            // post may have started (Unknown rather than Pending).
            var json = DeliveryJson.Serialize(payload with { Reply = reply });
            await using var db = dbs.CreateDbContext();
            var saved = await db.Deliveries
                .Where(d => d.Id == row.Id && d.Status == DeliveryStatus.Sending && d.ClaimedBy == row.ClaimedBy)
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.Payload, json), ct);
            if (saved == 0)
                return DeliveryResult.Failed("claim lost while the engine ran");
        }
        if (reply.Kind == ReplyKind.None)
            return DeliveryResult.Skipped("no reply");
        var sender = services.GetRequiredService<DingTalkChannelSender>();
        var outcome = await sender.SendReplyAsync(payload.Target, reply, ct);
        return outcome is null ? DeliveryResult.Skipped("no reply") : FromRobot(outcome, DeliveryRoute.DingTalkSession);
    }

    // ---- outcome mapping --------------------------------------------------------------------------------------

    internal static DeliveryResult FromWeChat(WeChatApiOutcome outcome, DeliveryRoute route, bool idempotent)
    {
        var reason = $"{outcome.Status} ({outcome.ErrorCode}{(outcome.ErrorMessage is null ? "" : ": " + outcome.ErrorMessage)})";
        return outcome.Status switch
        {
            WeChatApiStatus.Ok => DeliveryResult.Sent(route, outcome.MessageId?.ToString(CultureInfo.InvariantCulture)),
            WeChatApiStatus.Transient => DeliveryResult.Retry(reason, route),
            // An idempotent send (template with client_msg_id) can safely go again; 客服消息 cannot.
            WeChatApiStatus.NoAnswer => idempotent ? DeliveryResult.Retry(reason, route) : DeliveryResult.Unknown(reason, route),
            WeChatApiStatus.UserUnavailable => DeliveryResult.Skipped(UnreachableReason.Unsubscribed.Code() + " " + reason, route),
            WeChatApiStatus.OutOfWindow or WeChatApiStatus.QuotaExceeded => DeliveryResult.Skipped(reason, route),
            _ => DeliveryResult.Failed(reason, route),
        };
    }

    internal static DeliveryResult FromRobot(RobotSendOutcome outcome, DeliveryRoute route)
    {
        var reason = $"{outcome.Status}/{outcome.Failure}: {outcome.ErrorCode} {outcome.Detail}".TrimEnd();
        return outcome.Status switch
        {
            RobotSendStatus.Sent => DeliveryResult.Sent(route),
            RobotSendStatus.Transient or RobotSendStatus.Throttled => DeliveryResult.Retry(reason, route),
            RobotSendStatus.NoAnswer => DeliveryResult.Unknown(reason, route),
            _ => DeliveryResult.Failed(reason, route),
        };
    }
}
