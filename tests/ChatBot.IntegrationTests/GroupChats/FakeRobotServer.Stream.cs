using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ChatBot.IntegrationTests.GroupChats;

/// <summary>One WebSocket a host opened to the fake stream gateway: the test pushes frames down and reads the acks.</summary>
public sealed class FakeStreamConnection(WebSocket socket)
{
    private readonly Channel<JsonObject> _acks = Channel.CreateUnbounded<JsonObject>();
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SemaphoreSlim _send = new(1, 1);

    public WebSocket Socket { get; } = socket;
    public Task Closed => _closed.Task;

    public async Task SendFrameAsync(JsonObject frame)
    {
        var bytes = Encoding.UTF8.GetBytes(frame.ToJsonString());
        await _send.WaitAsync();
        try
        {
            await Socket.SendAsync(bytes, WebSocketMessageType.Text, true, CancellationToken.None);
        }
        finally
        {
            _send.Release();
        }
    }

    /// <summary>The next ack the host sent; a generous bound, not a timing assertion.</summary>
    public async Task<JsonObject> NextAckAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        return await _acks.Reader.ReadAsync(cts.Token);
    }

    public bool TryReadAck(out JsonObject? ack) => _acks.Reader.TryRead(out ack);

    internal async Task PumpAsync()
    {
        var buffer = new byte[256 * 1024];
        try
        {
            while (Socket.State == WebSocketState.Open)
            {
                var count = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    result = await Socket.ReceiveAsync(buffer.AsMemory(count), CancellationToken.None);
                    count += result.Count;
                } while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);
                if (result.MessageType == WebSocketMessageType.Close)
                    break;
                _acks.Writer.TryWrite(JsonNode.Parse(buffer.AsSpan(0, count))!.AsObject());
            }
        }
        catch (WebSocketException)
        {
            // The host went away.
        }
        _closed.TrySetResult();
    }

    /// <summary>Ends the connection from the gateway side, as a network drop or a gateway restart would.</summary>
    public async Task AbortAsync()
    {
        try
        {
            await Socket.CloseOutputAsync(WebSocketCloseStatus.EndpointUnavailable, "gateway restart", CancellationToken.None);
        }
        catch (WebSocketException)
        {
        }
    }
}

/// <summary>
/// DingTalk's stream gateway (PROTOCOLS.md §2.3): <c>POST /v1.0/gateway/connections/open</c> checks the app's
/// clientId/clientSecret and hands out a one-time ticket; <c>GET /gateway/connect?ticket=</c> upgrades to the socket.
/// </summary>
public sealed partial class FakeRobotServer
{
    public const string StreamClientId = "ding-app-key";
    public const string StreamClientSecret = "client-secret-for-test";

    private readonly ConcurrentDictionary<string, bool> _tickets = new();
    private readonly List<JsonObject> _openRequests = [];
    private readonly Channel<FakeStreamConnection> _connections = Channel.CreateUnbounded<FakeStreamConnection>();
    private readonly ConcurrentBag<FakeStreamConnection> _allConnections = [];
    private volatile bool _refuseOpen;

    public IReadOnlyList<JsonObject> StreamOpenRequests
    {
        get { lock (_gate) return [.. _openRequests]; }
    }

    /// <summary>While set, every open request answers 503 (gateway down).</summary>
    public bool RefuseStreamOpen
    {
        get => _refuseOpen;
        set => _refuseOpen = value;
    }

    /// <summary>The next socket a host opens; a generous bound, not a timing assertion.</summary>
    public async Task<FakeStreamConnection> NextStreamConnectionAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        return await _connections.Reader.ReadAsync(cts.Token);
    }

    private void MapStreamGateway(WebApplication app)
    {
        app.MapPost("/v1.0/gateway/connections/open", async ctx =>
        {
            var body = (await JsonNode.ParseAsync(ctx.Request.Body))!.AsObject();
            lock (_gate) _openRequests.Add(body);
            if (_refuseOpen)
            {
                ctx.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                return;
            }
            if ((string?)body["clientId"] != StreamClientId || (string?)body["clientSecret"] != StreamClientSecret)
            {
                ctx.Response.StatusCode = StatusCodes.Status401Unauthorized;
                await ctx.Response.WriteAsJsonAsync(new { code = "InvalidAuthentication", message = "bad client" });
                return;
            }
            var ticket = Guid.NewGuid().ToString("N");
            _tickets[ticket] = true;
            var endpoint = BaseUrl.Replace("http://", "ws://", StringComparison.Ordinal) + "/gateway/connect";
            await ctx.Response.WriteAsJsonAsync(new { endpoint, ticket });
        });
        app.Map("/gateway/connect", async ctx =>
        {
            var ticket = ctx.Request.Query["ticket"].ToString();
            if (!ctx.WebSockets.IsWebSocketRequest || !_tickets.TryRemove(ticket, out _))
            {
                ctx.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return;
            }
            var connection = new FakeStreamConnection(await ctx.WebSockets.AcceptWebSocketAsync());
            _allConnections.Add(connection);
            _connections.Writer.TryWrite(connection);
            await connection.PumpAsync();
        });
    }

    private async Task CloseStreamConnectionsAsync()
    {
        foreach (var connection in _allConnections)
            await connection.AbortAsync();
    }

    /// <summary>A frame as the gateway sends it; <paramref name="data"/> is serialised into the JSON string field.</summary>
    public static JsonObject StreamFrame(string type, string topic, JsonNode? data, string? messageId = null) => new()
    {
        ["specVersion"] = "1.0",
        ["type"] = type,
        ["headers"] = new JsonObject
        {
            ["appId"] = "fake-app",
            ["connectionId"] = "fake-connection",
            ["contentType"] = "application/json",
            ["messageId"] = messageId ?? Guid.NewGuid().ToString("N"),
            ["time"] = "1774098949543",
            ["topic"] = topic,
        },
        ["data"] = data?.ToJsonString() ?? "{}",
    };
}
