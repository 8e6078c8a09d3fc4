using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using ChatBot.Channels.Robots;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatBot.Channels.DingTalk;

/// <summary>A failure to get the app access token, already mapped to what the caller should do.</summary>
public sealed class DingTalkApiException(RobotSendOutcome outcome)
    : Exception($"DingTalk access token not obtained: {outcome.Status} ({outcome.ErrorCode}: {outcome.Detail})")
{
    public RobotSendOutcome Outcome { get; } = outcome;
}

/// <summary>
/// The enterprise app's robot over the api.dingtalk.com OpenAPI (proactive group and one-to-one sends), plus
/// replies through a callback's sessionWebhook. The base URL comes from <see cref="DingTalkOptions.ApiBaseUrl"/>.
/// </summary>
public sealed partial class DingTalkApiClient(
    HttpClient http,
    IOptions<DingTalkOptions> options,
    DingTalkAccessTokenCache tokens,
    ILogger<DingTalkApiClient> logger)
{
    public const string AccessTokenHeader = "x-acs-dingtalk-access-token";
    private const string TokenPath = "/v1.0/oauth2/accessToken";
    private const string GroupSendPath = "/v1.0/robot/groupMessages/send";
    private const string BatchSendPath = "/v1.0/robot/oToMessages/batchSend";
    private static readonly TimeSpan DefaultThrottleDelay = TimeSpan.FromMinutes(1);

    public Task<string> GetAccessTokenAsync(CancellationToken ct = default) => tokens.GetAsync(FetchAccessTokenAsync, ct);

    public Task<RobotSendOutcome> SendGroupMessageAsync(string openConversationId, string msgKey, string msgParam, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(openConversationId);
        ArgumentException.ThrowIfNullOrWhiteSpace(msgKey);
        ArgumentNullException.ThrowIfNull(msgParam);
        var body = new DingTalkGroupMessageRequest
        {
            OpenConversationId = openConversationId,
            MsgKey = msgKey,
            MsgParam = msgParam,
            RobotCode = options.Value.RobotCode,
        };
        return SendOpenApiAsync(GroupSendPath, body, DingTalkJson.Context.DingTalkGroupMessageRequest, ct);
    }

    public Task<RobotSendOutcome> SendGroupMessageAsync(string openConversationId, DingTalkTemplateMessage message, CancellationToken ct = default) =>
        SendGroupMessageAsync(openConversationId, message.MsgKey, message.MsgParam, ct);

    /// <summary>One-to-one messages from the robot to members of the organisation (by userid).</summary>
    public Task<RobotSendOutcome> SendToUsersAsync(IReadOnlyList<string> userIds, DingTalkTemplateMessage message, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(userIds);
        ArgumentOutOfRangeException.ThrowIfZero(userIds.Count);
        var body = new DingTalkBatchSendRequest
        {
            RobotCode = options.Value.RobotCode,
            UserIds = userIds,
            MsgKey = message.MsgKey,
            MsgParam = message.MsgParam,
        };
        return SendOpenApiAsync(BatchSendPath, body, DingTalkJson.Context.DingTalkBatchSendRequest, ct);
    }

    /// <summary>
    /// Replies through the callback's sessionWebhook (valid about 90 minutes, no token needed). The URL comes from
    /// the request body, so only <see cref="DingTalkSessionWebhook.IsAllowed"/> URLs are posted to.
    /// </summary>
    public Task<RobotSendOutcome> ReplyBySessionWebhookAsync(string sessionWebhook, DingTalkRobotMessage body, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (!DingTalkSessionWebhook.IsAllowed(sessionWebhook))
        {
            LogUntrustedWebhook(logger, RobotWebhookMask.Mask(sessionWebhook));
            return Task.FromResult(RobotSendOutcome.Permanent(RobotFailure.UntrustedUrl, null, "sessionWebhook is not https://oapi.dingtalk.com/robot/sendBySession?session=…"));
        }
        return RobotHttp.PostAsync(http, sessionWebhook, body, DingTalkJson.Context.DingTalkRobotMessage,
            DingTalkRobotAnswers.Map, logger, ct);
    }

    private async Task<RobotSendOutcome> SendOpenApiAsync<TBody>(string path, TBody body, JsonTypeInfo<TBody> bodyType, CancellationToken ct)
    {
        string token;
        try
        {
            token = await GetAccessTokenAsync(ct).ConfigureAwait(false);
        }
        catch (DingTalkApiException ex)
        {
            LogNotSent(logger, path, ex.Outcome.Status, ex.Outcome.ErrorCode, ex.Outcome.Detail);
            return ex.Outcome;
        }

        RobotSendOutcome outcome;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, ApiUrl(path)) { Content = JsonContent.Create(body, bodyType) };
            request.Headers.TryAddWithoutValidation(AccessTokenHeader, token);
            using var response = await http.SendAsync(request, ct).ConfigureAwait(false);
            outcome = await MapOpenApiAnswerAsync(response, token, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            outcome = RobotSendOutcome.NoAnswer("timeout waiting for the answer");
        }
        catch (HttpRequestException ex)
        {
            outcome = RobotSendOutcome.FromRequestException(ex);
        }

        if (!outcome.IsSent)
            LogNotSent(logger, path, outcome.Status, outcome.ErrorCode, outcome.Detail);
        return outcome;
    }

    private async Task<RobotSendOutcome> MapOpenApiAnswerAsync(HttpResponseMessage response, string token, CancellationToken ct)
    {
        if (response.IsSuccessStatusCode)
        {
            var sent = await ReadAsync(response, DingTalkJson.Context.DingTalkSendResponse, ct).ConfigureAwait(false);
            // batchSend answers 200 but lists the users it held back for flow control.
            return sent?.FlowControlledStaffIdList is { Count: > 0 } held
                ? RobotSendOutcome.Throttled(null, $"{held.Count} recipient(s) flow-controlled", DefaultThrottleDelay)
                : RobotSendOutcome.Sent;
        }

        if (RobotHttp.MapHttpStatus(response) is { } byStatus)
            return byStatus;

        var error = await ReadAsync(response, DingTalkJson.Context.DingTalkApiError, ct).ConfigureAwait(false);
        var code = error?.Code ?? ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture);
        var message = error?.Message ?? $"HTTP {(int)response.StatusCode}";
        if (code.Contains("QpsLimit", StringComparison.OrdinalIgnoreCase) || code.Contains("Throttl", StringComparison.OrdinalIgnoreCase))
            return RobotSendOutcome.Throttled(code, message, RobotHttp.RetryAfter(response) ?? DefaultThrottleDelay);
        if (response.StatusCode == HttpStatusCode.Unauthorized || code.Equals("InvalidAuthentication", StringComparison.OrdinalIgnoreCase))
        {
            // Revoked or expired early: the next attempt fetches a new token.
            tokens.Invalidate(token);
            return RobotSendOutcome.Transient(code, message);
        }
        return RobotSendOutcome.Permanent(RobotFailure.RequestRejected, code, message);
    }

    private async Task<(string Token, TimeSpan ExpiresIn)> FetchAccessTokenAsync(CancellationToken ct)
    {
        var settings = options.Value;
        try
        {
            using var response = await http.PostAsync(
                ApiUrl(TokenPath),
                JsonContent.Create(new DingTalkAccessTokenRequest(settings.AppKey, settings.AppSecret), DingTalkJson.Context.DingTalkAccessTokenRequest),
                ct).ConfigureAwait(false);
            if (RobotHttp.MapHttpStatus(response) is { } byStatus)
                throw new DingTalkApiException(byStatus);
            if (!response.IsSuccessStatusCode)
            {
                var error = await ReadAsync(response, DingTalkJson.Context.DingTalkApiError, ct).ConfigureAwait(false);
                throw new DingTalkApiException(RobotSendOutcome.Permanent(RobotFailure.CredentialsRejected,
                    error?.Code ?? ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture), error?.Message));
            }
            var answer = await ReadAsync(response, DingTalkJson.Context.DingTalkAccessTokenResponse, ct).ConfigureAwait(false);
            if (string.IsNullOrEmpty(answer?.AccessToken) || answer.ExpireIn <= 0)
                throw new DingTalkApiException(RobotSendOutcome.Transient(null, "access token answer without accessToken/expireIn"));
            LogTokenFetched(logger, answer.ExpireIn);
            return (answer.AccessToken, TimeSpan.FromSeconds(answer.ExpireIn));
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new DingTalkApiException(RobotSendOutcome.Transient(null, "timeout fetching access token"));
        }
        catch (HttpRequestException ex)
        {
            throw new DingTalkApiException(RobotSendOutcome.Transient(null, $"network error fetching access token ({ex.HttpRequestError})"));
        }
    }

    private Uri ApiUrl(string path) => new(options.Value.ApiBaseUrl.TrimEnd('/') + path, UriKind.Absolute);

    private static async Task<T?> ReadAsync<T>(HttpResponseMessage response, JsonTypeInfo<T> type, CancellationToken ct)
    {
        try
        {
            var bytes = await RobotHttp.ReadCappedAsync(response.Content, ct).ConfigureAwait(false);
            return bytes is null ? default : JsonSerializer.Deserialize(bytes, type);
        }
        catch (JsonException)
        {
            return default;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "DingTalk OpenAPI {Path} not sent: {Status} (code {ErrorCode}: {Detail})")]
    private static partial void LogNotSent(ILogger logger, string path, RobotSendStatus status, string? errorCode, string? detail);

    [LoggerMessage(Level = LogLevel.Information, Message = "DingTalk access token fetched, valid {ExpireInSeconds} s")]
    private static partial void LogTokenFetched(ILogger logger, long expireInSeconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused to post to sessionWebhook {Webhook}: not https://oapi.dingtalk.com/robot/sendBySession")]
    private static partial void LogUntrustedWebhook(ILogger logger, string webhook);
}
