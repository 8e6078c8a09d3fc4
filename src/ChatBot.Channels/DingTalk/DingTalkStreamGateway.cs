using System.Net.Http.Json;
using ChatBot.Channels.Robots;
using Microsoft.Extensions.Options;

namespace ChatBot.Channels.DingTalk;

public sealed class DingTalkStreamException(string message) : Exception(message);

/// <summary>
/// Asks DingTalk's stream gateway for a connection (PROTOCOLS.md §2.3 step 1): AppKey/AppSecret and the robot-message
/// subscription in, a WebSocket endpoint and a one-time ticket out. The secret travels only in this HTTPS body.
/// </summary>
public sealed class DingTalkStreamGateway(HttpClient http, IOptions<DingTalkOptions> options)
{
    public const string OpenPath = "/v1.0/gateway/connections/open";
    private const string UserAgent = "chatbot-dingtalk-stream/1.0";

    /// <summary>The URI to open the socket on: the endpoint with the ticket as its query.</summary>
    public async Task<Uri> OpenAsync(CancellationToken ct)
    {
        var settings = options.Value;
        var request = new DingTalkStreamOpenRequest(
            settings.AppKey, settings.AppSecret,
            [new DingTalkStreamSubscription(DingTalkStreamTopics.FrameCallback, DingTalkStreamTopics.RobotMessages)],
            UserAgent);
        using var response = await http.PostAsJsonAsync(
            new Uri(new Uri(settings.ApiBaseUrl.TrimEnd('/') + "/"), OpenPath.TrimStart('/')), request, DingTalkJson.Context.DingTalkStreamOpenRequest, ct);
        var body = await RobotHttp.ReadCappedAsync(response.Content, ct);
        if (!response.IsSuccessStatusCode)
            throw new DingTalkStreamException($"gateway answered {(int)response.StatusCode}");
        if (body is null)
            throw new DingTalkStreamException("gateway answer too large");
        var opened = System.Text.Json.JsonSerializer.Deserialize(body, DingTalkJson.Context.DingTalkStreamOpenResponse);
        if (opened is null || string.IsNullOrEmpty(opened.Endpoint) || string.IsNullOrEmpty(opened.Ticket)
            || !Uri.TryCreate(opened.Endpoint, UriKind.Absolute, out var endpoint) || (endpoint.Scheme != "wss" && endpoint.Scheme != "ws"))
            throw new DingTalkStreamException("gateway answer has no usable endpoint and ticket");
        var builder = new UriBuilder(endpoint) { Query = "ticket=" + Uri.EscapeDataString(opened.Ticket) };
        return builder.Uri;
    }
}
