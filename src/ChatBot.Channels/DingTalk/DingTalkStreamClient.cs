using System.Buffers;
using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatBot.Channels.DingTalk;

/// <summary>The stream connection as the readiness check and the log see it.</summary>
public sealed class DingTalkStreamStatus
{
    private volatile bool _connected;

    public bool Connected => _connected;
    public DateTimeOffset? ConnectedSince { get; private set; }
    public string? LastError { get; private set; }
    public int Connections { get; private set; }

    internal void Up(DateTimeOffset at)
    {
        ConnectedSince = at;
        LastError = null;
        Connections++;
        _connected = true;
    }

    internal void Down(string? error)
    {
        _connected = false;
        if (error is not null) LastError = error;
    }
}

/// <summary>
/// DingTalk Stream mode (<c>DingTalk:Mode = Stream</c>): keeps one WebSocket to DingTalk's gateway open — opened
/// with the app's own credentials, so the host needs no public URL and no header sign can be replayed — and hands
/// each frame to <see cref="DingTalkStreamFrameHandler"/>, acking on the same socket. Frames are handled one at a time
/// in arrival order (an ack is a quick outbox insert; replies go out through the delivery sender). On a closed or
/// broken socket, or the gateway's own disconnect notice, it opens a new connection, waiting 1 s, 2 s, 4 s … up to
/// <see cref="DingTalkOptions.StreamMaxReconnectSeconds"/> (with jitter) between failed attempts.
/// </summary>
public sealed partial class DingTalkStreamClient(
    IServiceProvider services, IOptions<DingTalkOptions> options, DingTalkStreamStatus status, TimeProvider time,
    ILogger<DingTalkStreamClient> logger) : BackgroundService
{
    /// <summary>A frame wraps a robot message of at most 64 KB in JSON-string escaping; anything larger is not ours.</summary>
    internal const int MaxFrameBytes = 4 * DingTalkWebhookEndpoints.MaxBodyBytes;

    /// <summary>The SDKs ping every 60 s; a shorter keep-alive finds a dead connection sooner through NATs.</summary>
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.Enabled || settings.Mode != DingTalkMode.Stream)
            return;
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            var connectedOnce = false;
            try
            {
                connectedOnce = await RunConnectionAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                status.Down(ex.GetType().Name + ": " + ex.Message);
                LogConnectionFailed(logger, ex);
            }
            status.Down(null);
            failures = connectedOnce ? 0 : failures + 1;
            if (failures == 0) continue;
            try
            {
                await Task.Delay(Backoff(failures, settings), time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        status.Down(null);
    }

    /// <summary>1 s, 2 s, 4 s … capped, each with up to 20% jitter so several instances do not reconnect in step.</summary>
    internal static TimeSpan Backoff(int failures, DingTalkOptions settings)
    {
        var seconds = Math.Min(Math.Pow(2, Math.Min(failures - 1, 16)), settings.StreamMaxReconnectSeconds);
        return TimeSpan.FromSeconds(seconds * (1 + Random.Shared.NextDouble() * 0.2));
    }

    /// <summary>One connection, until it closes; true when the socket was opened (so the next attempt is not a retry).</summary>
    private async Task<bool> RunConnectionAsync(CancellationToken ct)
    {
        Uri uri;
        using (var scope = services.CreateScope())
            uri = await scope.ServiceProvider.GetRequiredService<DingTalkStreamGateway>().OpenAsync(ct);

        using var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = KeepAlive;
        await socket.ConnectAsync(uri, ct);
        status.Up(time.GetUtcNow());
        LogConnected(logger, uri.Host);

        var handler = services.GetRequiredService<DingTalkStreamFrameHandler>();
        var buffer = new ArrayBufferWriter<byte>(8 * 1024);
        while (socket.State == WebSocketState.Open && !ct.IsCancellationRequested)
        {
            buffer.ResetWrittenCount();
            var frame = await ReceiveFrameAsync(socket, buffer, ct);
            if (frame == FrameRead.Closed)
                break;
            if (frame == FrameRead.TooLarge)
            {
                LogFrameTooLarge(logger);
                continue;
            }
            var reaction = await handler.HandleAsync(buffer.WrittenMemory, ct);
            if (reaction.Ack is { } ack)
            {
                var bytes = JsonSerializer.SerializeToUtf8Bytes(ack, DingTalkJson.Context.DingTalkStreamAck);
                await socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, ct);
            }
            if (reaction.Reconnect)
            {
                LogGatewayDisconnect(logger);
                break;
            }
        }
        await CloseQuietlyAsync(socket);
        return true;
    }

    private enum FrameRead { Frame, TooLarge, Closed }

    private static async Task<FrameRead> ReceiveFrameAsync(ClientWebSocket socket, ArrayBufferWriter<byte> buffer, CancellationToken ct)
    {
        var tooLarge = false;
        while (true)
        {
            var memory = buffer.GetMemory(8 * 1024);
            var result = await socket.ReceiveAsync(memory, ct);
            if (result.MessageType == WebSocketMessageType.Close)
                return FrameRead.Closed;
            if (!tooLarge)
            {
                buffer.Advance(result.Count);
                if (buffer.WrittenCount > MaxFrameBytes)
                {
                    // Keep reading to the end of this frame without keeping it, so the next one starts clean.
                    tooLarge = true;
                    buffer.ResetWrittenCount();
                }
            }
            if (result.EndOfMessage)
                return tooLarge ? FrameRead.TooLarge : FrameRead.Frame;
        }
    }

    private static async Task CloseQuietlyAsync(ClientWebSocket socket)
    {
        if (socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived)) return;
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "reconnecting", timeout.Token);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            // The peer is gone already; the socket is disposed next.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "DingTalk stream connected to {Host}")]
    private static partial void LogConnected(ILogger logger, string host);

    [LoggerMessage(Level = LogLevel.Warning, Message = "DingTalk stream connection failed; reconnecting")]
    private static partial void LogConnectionFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "DingTalk stream: the gateway asked for a new connection")]
    private static partial void LogGatewayDisconnect(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "DingTalk stream: frame over the size limit ignored")]
    private static partial void LogFrameTooLarge(ILogger logger);
}

/// <summary>Readiness entry in Stream mode: Degraded while the socket is down (WeChat and the console still work).</summary>
public sealed class DingTalkStreamHealthCheck(DingTalkStreamStatus status) : Microsoft.Extensions.Diagnostics.HealthChecks.IHealthCheck
{
    public Task<Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult> CheckHealthAsync(
        Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(status.Connected
            ? Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult.Healthy($"connected since {status.ConnectedSince:O}")
            : Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult.Degraded(status.LastError is null ? "not connected" : "not connected: " + status.LastError));
}
