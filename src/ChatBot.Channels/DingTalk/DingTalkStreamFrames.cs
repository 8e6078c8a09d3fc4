using System.Text.Json.Serialization;

namespace ChatBot.Channels.DingTalk;

/// <summary>Body of <c>POST /v1.0/gateway/connections/open</c> (PROTOCOLS.md §2.3).</summary>
public sealed record DingTalkStreamOpenRequest(
    [property: JsonPropertyName("clientId")] string ClientId,
    [property: JsonPropertyName("clientSecret")] string ClientSecret,
    [property: JsonPropertyName("subscriptions")] IReadOnlyList<DingTalkStreamSubscription> Subscriptions,
    [property: JsonPropertyName("ua")] string UserAgent);

public sealed record DingTalkStreamSubscription(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("topic")] string Topic);

/// <summary>Where to open the WebSocket and the one-time ticket that authorises it.</summary>
public sealed record DingTalkStreamOpenResponse(
    [property: JsonPropertyName("endpoint")] string? Endpoint,
    [property: JsonPropertyName("ticket")] string? Ticket);

/// <summary>
/// A frame the gateway sends down the socket: <c>type</c> SYSTEM / EVENT / CALLBACK, routing headers, and the payload
/// as a JSON string in <c>data</c> (for robot messages: the same body the HTTP callback receives).
/// </summary>
public sealed record DingTalkStreamFrame
{
    [JsonPropertyName("specVersion")] public string? SpecVersion { get; init; }
    [JsonPropertyName("type")] public string? Type { get; init; }
    [JsonPropertyName("headers")] public IReadOnlyDictionary<string, string?>? Headers { get; init; }
    [JsonPropertyName("data")] public string? Data { get; init; }

    public string? Header(string name) => Headers is not null && Headers.TryGetValue(name, out var value) ? value : null;
    public string? Topic => Header("topic");
    public string? MessageId => Header("messageId");
}

/// <summary>The answer to one frame, sent on the same socket; <c>data</c> is again a JSON string.</summary>
public sealed record DingTalkStreamAck(
    [property: JsonPropertyName("code")] int Code,
    [property: JsonPropertyName("headers")] IReadOnlyDictionary<string, string> Headers,
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("data")] string Data);

/// <summary>What a callback ack carries in <c>data</c>: the robot's synchronous response, none here (replies go through the outbox).</summary>
public sealed record DingTalkStreamCallbackResponse(
    [property: JsonPropertyName("response"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Response);

public static class DingTalkStreamTopics
{
    public const string FrameSystem = "SYSTEM";
    public const string FrameEvent = "EVENT";
    public const string FrameCallback = "CALLBACK";
    public const string RobotMessages = "/v1.0/im/bot/messages/get";
    public const string Ping = "ping";
    public const string Disconnect = "disconnect";
}
