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
            var answer = await ReadErrcodeAsync(response, ct).ConfigureAwait(false);
            if (answer is { } a)
                return mapAnswer(a);
            var status = ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture);
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

    private static async Task<RobotErrcodeAnswer?> ReadErrcodeAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var text = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
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
        return new RobotErrcodeAnswer(errcode.Value, errmsg);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Robot send to {Webhook} not sent: {Status} (code {ErrorCode}: {Detail})")]
    private static partial void LogNotSent(ILogger logger, string webhook, RobotSendStatus status, string? errorCode, string? detail);
}
