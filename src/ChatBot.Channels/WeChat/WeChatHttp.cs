using System.Net.Http.Json;
using System.Text.Json;
using Polly.Timeout;

namespace ChatBot.Channels.WeChat;

/// <summary>
/// One POST of a JSON body to the WeChat API and the reading of its JSON answer. Network failures,
/// timeouts and 5xx become <see cref="WeChatApiStatus.Transient"/> outcomes (the resilience handler has
/// already retried them by then); nothing here throws for a platform problem.
/// </summary>
internal static class WeChatHttp
{
    public const string ClientName = nameof(WeChatApiClient);

    public static async Task<(WeChatApiResponse? Response, WeChatApiOutcome? Failure)> PostAsync<T>(
        HttpClient http, string pathAndQuery, T body, CancellationToken ct)
    {
        try
        {
            using var content = JsonContent.Create(body, options: WeChatJson.Options);
            using var response = await http.PostAsync(new Uri(pathAndQuery, UriKind.Relative), content, ct).ConfigureAwait(false);
            if ((int)response.StatusCode >= 500)
                return (null, WeChatApiOutcome.TransientFailure($"HTTP {(int)response.StatusCode}"));
            if (!response.IsSuccessStatusCode)
                return (null, new WeChatApiOutcome(WeChatApiStatus.Failed, (int)response.StatusCode, $"HTTP {(int)response.StatusCode}"));

            var parsed = await response.Content.ReadFromJsonAsync<WeChatApiResponse>(WeChatJson.Options, ct).ConfigureAwait(false);
            return parsed is null
                ? (null, new WeChatApiOutcome(WeChatApiStatus.Failed, 0, "empty response"))
                : (parsed, null);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
        catch (HttpRequestException ex) when (NotSent(ex))
        {
            return (null, WeChatApiOutcome.TransientFailure($"{ex.GetType().Name} ({ex.HttpRequestError}) before sending"));
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutRejectedException or OperationCanceledException)
        {
            // Sent, and no answer: whether WeChat acted on it is unknown.
            return (null, WeChatApiOutcome.NoAnswerFailure(ex is HttpRequestException h ? $"{ex.GetType().Name} ({h.HttpRequestError})" : ex.GetType().Name));
        }
        catch (JsonException)
        {
            return (null, new WeChatApiOutcome(WeChatApiStatus.Failed, 0, "response is not JSON"));
        }
    }

    /// <summary>Whether the exception proves the request never reached WeChat (so sending it again cannot duplicate it).</summary>
    public static bool NotSent(HttpRequestException exception) =>
        exception.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError
            or HttpRequestError.SecureConnectionError or HttpRequestError.ProxyTunnelError;

    /// <summary>
    /// Whether a response says "try again": errcode -1 (system busy) arrives with HTTP 200, so the
    /// standard transient predicate alone misses it. The body is buffered so the caller can still read it.
    /// </summary>
    public static async ValueTask<bool> IsBusyAnswerAsync(HttpResponseMessage response)
    {
        if (!response.IsSuccessStatusCode || response.Content.Headers.ContentLength is > 4096)
            return false;
        await response.Content.LoadIntoBufferAsync().ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
        if (!text.Contains("\"errcode\"", StringComparison.Ordinal))
            return false;
        try
        {
            using var doc = JsonDocument.Parse(text);
            return doc.RootElement.ValueKind == JsonValueKind.Object
                && doc.RootElement.TryGetProperty("errcode", out var code)
                && code.ValueKind == JsonValueKind.Number && code.TryGetInt32(out var value) && value == -1;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
