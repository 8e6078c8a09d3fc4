using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;

namespace ChatBot.Channels.Robots;

/// <summary>The <c>{"errcode":…,"errmsg":…}</c> answer shared by DingTalk and WeCom robot webhooks.</summary>
internal readonly record struct RobotErrcodeAnswer(long ErrCode, string? ErrMsg);

/// <summary>
/// POSTs a JSON body to a robot webhook and turns transport failures into outcomes; the platform-specific part
/// (what an errcode means) is passed in. Logs only the masked URL.
/// </summary>
internal static partial class RobotHttp
{
    /// <summary>Far above any errcode answer; a robot endpoint answering more is not one we should read.</summary>
    public const int MaxAnswerBytes = 64 * 1024;

    /// <summary>Longest platform errmsg kept in an outcome (it ends up in logs and the broken-chat report).</summary>
    private const int MaxDetailChars = 200;

    /// <summary>
    /// The primary handler of every robot and OpenAPI client: redirects are never followed, because a 30x from a
    /// webhook would send the message (and its credentials in the URL) to wherever the answer points.
    /// </summary>
    public static HttpMessageHandler CreateHandler() => new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
    };

    /// <summary>The answer body, or null when it is larger than <paramref name="maxBytes"/> (read no further).</summary>
    public static async Task<byte[]?> ReadCappedAsync(HttpContent content, CancellationToken ct, int maxBytes = MaxAnswerBytes)
    {
        if (content.Headers.ContentLength > maxBytes)
            return null;
        await using var stream = await content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        var buffer = new byte[Math.Min(maxBytes + 1, 16 * 1024)];
        using var collected = new MemoryStream();
        while (true)
        {
            var read = await stream.ReadAsync(buffer, ct).ConfigureAwait(false);
            if (read == 0)
                return collected.ToArray();
            collected.Write(buffer, 0, read);
            if (collected.Length > maxBytes)
                return null;
        }
    }

    /// <summary>Used when an HTTP 429 carries no Retry-After.</summary>
    private static readonly TimeSpan DefaultThrottleDelay = TimeSpan.FromMinutes(1);

    public static async Task<RobotSendOutcome> PostAsync<TBody>(
        HttpClient http, string url, TBody body, JsonTypeInfo<TBody> bodyType,
        Func<RobotErrcodeAnswer, RobotSendOutcome> mapAnswer, ILogger logger, CancellationToken ct)
    {
        var outcome = await PostCoreAsync(http, url, body, bodyType, mapAnswer, ct).ConfigureAwait(false);
        if (!outcome.IsSent)
            LogNotSent(logger, RobotWebhookMask.Mask(url), outcome.Status, outcome.ErrorCode, outcome.Detail);
        return outcome;
    }

    private static async Task<RobotSendOutcome> PostCoreAsync<TBody>(
        HttpClient http, string url, TBody body, JsonTypeInfo<TBody> bodyType,
        Func<RobotErrcodeAnswer, RobotSendOutcome> mapAnswer, CancellationToken ct)
    {
        try
        {
            using var response = await http.PostAsync(url, JsonContent.Create(body, bodyType), ct).ConfigureAwait(false);
            if (MapHttpStatus(response) is { } byStatus)
                return byStatus;
            var status = ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture);
            var text = await ReadCappedAsync(response.Content, ct).ConfigureAwait(false);
            if (text is null)
                return RobotSendOutcome.Permanent(RobotFailure.Unknown, status, $"answer larger than {MaxAnswerBytes / 1024} KB");
            if (ParseErrcode(text) is { } a)
                return mapAnswer(a);
            return response.IsSuccessStatusCode
                // 200 without an errcode: we cannot tell whether it was delivered, so it is not sent again.
                ? RobotSendOutcome.NoAnswer($"HTTP {status} without the expected errcode JSON")
                : RobotSendOutcome.Permanent(RobotFailure.Unknown, status, $"HTTP {status}");
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            // The request was sent and the answer did not come in time: it may have been posted.
            return RobotSendOutcome.NoAnswer("timeout waiting for the answer");
        }
        catch (HttpRequestException ex)
        {
            return RobotSendOutcome.FromRequestException(ex);
        }
    }

    /// <summary>Outcome decided by the HTTP status alone, or null when the body must be read.</summary>
    public static RobotSendOutcome? MapHttpStatus(HttpResponseMessage response)
    {
        var code = (int)response.StatusCode;
        if (response.StatusCode == HttpStatusCode.TooManyRequests)
            return RobotSendOutcome.Throttled(code.ToString(CultureInfo.InvariantCulture), "HTTP 429",
                RetryAfter(response) ?? DefaultThrottleDelay);
        if (code >= 500 || response.StatusCode == HttpStatusCode.RequestTimeout)
            return RobotSendOutcome.Transient(code.ToString(CultureInfo.InvariantCulture), $"HTTP {code}");
        return null;
    }

    /// <summary>Only the delta form; neither platform is known to send an HTTP date.</summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage response) => response.Headers.RetryAfter?.Delta;

    private static RobotErrcodeAnswer? ParseErrcode(byte[] text)
    {
        try
        {
            using var doc = JsonDocument.Parse(text);
            return ParseErrcode(doc.RootElement);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    internal static RobotErrcodeAnswer? ParseErrcode(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("errcode", out var codeElement))
            return null;
        long? errcode = codeElement.ValueKind switch
        {
            JsonValueKind.Number when codeElement.TryGetInt64(out var n) => n,
            JsonValueKind.String when long.TryParse(codeElement.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var s) => s,
            _ => null,
        };
        if (errcode is null)
            return null;
        var errmsg = root.TryGetProperty("errmsg", out var msg) && msg.ValueKind == JsonValueKind.String ? msg.GetString() : null;
        if (errmsg is { Length: > MaxDetailChars })
            errmsg = errmsg[..(char.IsHighSurrogate(errmsg[MaxDetailChars - 1]) ? MaxDetailChars - 1 : MaxDetailChars)];
        return new RobotErrcodeAnswer(errcode.Value, errmsg);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Robot send to {Webhook} not sent: {Status} (code {ErrorCode}: {Detail})")]
    private static partial void LogNotSent(ILogger logger, string webhook, RobotSendStatus status, string? errorCode, string? detail);
}
