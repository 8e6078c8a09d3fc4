using ChatBot.Core.Messaging;
using Microsoft.Extensions.Logging;

namespace ChatBot.Channels.WeChat;

/// <summary>
/// Typed HttpClient for the WeChat API (base address = WeChat:ApiBaseUrl). Every call carries the shared
/// access token; when WeChat says the token is no longer good (40001 / 40014 / 42001) it is refreshed once
/// and the call retried once. Transient failures were already retried with backoff by the resilience handler.
/// </summary>
public sealed partial class WeChatApiClient(HttpClient http, WeChatAccessTokenProvider tokens, ILogger<WeChatApiClient> logger)
{
    /// <summary>客服消息, text.</summary>
    public Task<WeChatApiOutcome> SendCustomerServiceTextAsync(string openId, string content, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(openId);
        ArgumentNullException.ThrowIfNull(content);
        return CallAsync("cgi-bin/message/custom/send", new CustomerServiceRequest(openId, "text", Text: new CustomerServiceText(content)), ct);
    }

    /// <summary>客服消息, news with one article (more than one is refused in most scenarios).</summary>
    public Task<WeChatApiOutcome> SendCustomerServiceNewsAsync(string openId, ArticleLink article, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(openId);
        ArgumentNullException.ThrowIfNull(article);
        var news = new CustomerServiceNews([new CustomerServiceArticle(article.Title, article.Description, article.Url, article.PictureUrl)]);
        return CallAsync("cgi-bin/message/custom/send", new CustomerServiceRequest(openId, "news", News: news), ct);
    }

    /// <summary>模板消息; each value is trimmed to the 20 characters WeChat shows.</summary>
    public Task<WeChatApiOutcome> SendTemplateAsync(WeChatTemplateMessage message, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(message);
        var data = message.Fields.ToDictionary(f => f.Key, f => new TemplateValue(WeChatTemplateMessage.TrimField(f.Value)), StringComparer.Ordinal);
        return CallAsync("cgi-bin/message/template/send",
            new TemplateRequest(message.ToOpenId, message.TemplateId, message.Url, message.ClientMessageId, data), ct);
    }

    /// <summary>Most and fewest OpenIDs one <c>mass/send</c> takes (PROTOCOLS.md §1.9).</summary>
    public const int MassSendMaxRecipients = 10_000;
    public const int MassSendMinRecipients = 2;

    /// <summary>
    /// 群发 text to 2–10,000 followers by OpenID. WeChat queues a job and answers its id at once (reported later by
    /// MASSSENDJOBFINISH); each follower receives at most 4 mass messages per natural month (else 45028).
    /// </summary>
    public Task<WeChatApiOutcome> SendMassTextAsync(IReadOnlyList<string> openIds, string content, string clientMessageId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(openIds);
        ArgumentOutOfRangeException.ThrowIfLessThan(openIds.Count, MassSendMinRecipients);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(openIds.Count, MassSendMaxRecipients);
        ArgumentException.ThrowIfNullOrEmpty(content);
        ArgumentException.ThrowIfNullOrEmpty(clientMessageId);
        return CallAsync("cgi-bin/message/mass/send", new MassSendRequest(openIds, "text", new CustomerServiceText(content), clientMessageId), ct);
    }

    /// <summary>Replaces the custom menu (自定义菜单). Validate it first with <see cref="WeChatMenuValidator"/>.</summary>
    public Task<WeChatApiOutcome> CreateMenuAsync(WeChatMenu menu, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(menu);
        return CallAsync("cgi-bin/menu/create", menu, ct);
    }

    private async Task<WeChatApiOutcome> CallAsync<T>(string path, T body, CancellationToken ct)
    {
        var token = await tokens.GetTokenAsync(ct).ConfigureAwait(false);
        if (!token.HasValue)
            return NotSent(token.Outcome);

        var outcome = await PostAsync(path, token.Value!, body, ct).ConfigureAwait(false);
        if (outcome.Status == WeChatApiStatus.InvalidCredential && WeChatApiOutcome.IsRejectedToken(outcome.ErrorCode))
        {
            LogTokenRejected(logger, path, outcome.ErrorCode);
            token = await tokens.RefreshRejectedAsync(token.Value!, ct).ConfigureAwait(false);
            if (!token.HasValue)
                return NotSent(token.Outcome);
            outcome = await PostAsync(path, token.Value!, body, ct).ConfigureAwait(false);
        }

        if (!outcome.IsSuccess)
            LogCallFailed(logger, path, outcome.Status, outcome.ErrorCode);
        return outcome;
    }

    /// <summary>No token means the message itself was never posted: a lost token answer is a transient failure here.</summary>
    private static WeChatApiOutcome NotSent(WeChatApiOutcome tokenOutcome) =>
        tokenOutcome.Status == WeChatApiStatus.NoAnswer ? tokenOutcome with { Status = WeChatApiStatus.Transient } : tokenOutcome;

    private async Task<WeChatApiOutcome> PostAsync<T>(string path, string token, T body, CancellationToken ct)
    {
        var (response, failure) = await WeChatHttp.PostAsync(http, $"{path}?access_token={Uri.EscapeDataString(token)}", body, ct).ConfigureAwait(false);
        return failure ?? WeChatApiOutcome.FromErrorCode(response!.ErrorCode, response.ErrorMessage, response.MessageId ?? response.MassMessageId);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "WeChat rejected the access token on {Path} (errcode {ErrorCode}); refreshing once")]
    private static partial void LogTokenRejected(ILogger logger, string path, int errorCode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "WeChat call {Path} failed: {Status} (errcode {ErrorCode})")]
    private static partial void LogCallFailed(ILogger logger, string path, WeChatApiStatus status, int errorCode);
}
