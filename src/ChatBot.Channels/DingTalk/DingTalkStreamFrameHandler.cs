using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatBot.Channels.DingTalk;

/// <summary>What to do with one frame: the ack to send back (if any) and whether the gateway asked us to reconnect.</summary>
public readonly record struct DingTalkStreamReaction(DingTalkStreamAck? Ack, bool Reconnect);

/// <summary>
/// Handles one frame from the stream socket (PROTOCOLS.md §2.3 steps 3–4). Robot messages go through the same body
/// checks as the HTTP callback (<see cref="DingTalkCallbackReader"/>) and are acked 200 only once stored in the
/// outbox; a message that could not be stored is acked 500 so that the gateway may deliver it again rather than
/// believe it answered. SYSTEM ping is echoed, SYSTEM disconnect means: open a new connection.
/// </summary>
public sealed partial class DingTalkStreamFrameHandler(IDingTalkAnswerQueue queue, IOptions<DingTalkOptions> options, ILogger<DingTalkStreamFrameHandler> logger)
{
    public async Task<DingTalkStreamReaction> HandleAsync(ReadOnlyMemory<byte> utf8Frame, CancellationToken ct)
    {
        DingTalkStreamFrame? frame;
        try
        {
            frame = JsonSerializer.Deserialize(utf8Frame.Span, DingTalkJson.Context.DingTalkStreamFrame);
        }
        catch (JsonException)
        {
            frame = null;
        }
        if (frame is null || string.IsNullOrEmpty(frame.MessageId))
        {
            // Without a messageId there is nothing to ack; the gateway resends what it misses.
            LogUnreadableFrame(logger);
            return default;
        }

        switch (frame.Type)
        {
            case DingTalkStreamTopics.FrameSystem when frame.Topic == DingTalkStreamTopics.Disconnect:
                return new DingTalkStreamReaction(null, Reconnect: true);
            case DingTalkStreamTopics.FrameSystem:
            case DingTalkStreamTopics.FrameEvent:
                return new DingTalkStreamReaction(Ack(frame, 200, "OK", frame.Data ?? "{}"), false);
            case DingTalkStreamTopics.FrameCallback when frame.Topic == DingTalkStreamTopics.RobotMessages:
                return new DingTalkStreamReaction(await RobotMessageAsync(frame, ct), false);
            default:
                return new DingTalkStreamReaction(Ack(frame, 404, "not subscribed", "{}"), false);
        }
    }

    private async Task<DingTalkStreamAck> RobotMessageAsync(DingTalkStreamFrame frame, CancellationToken ct)
    {
        var data = Encoding.UTF8.GetBytes(frame.Data ?? "");
        if (data.Length > DingTalkWebhookEndpoints.MaxBodyBytes)
            return Ack(frame, 413, "message too large", NoResponse);
        var read = DingTalkCallbackReader.Read(data, options.Value);
        switch (read.Problem)
        {
            case DingTalkCallbackProblem.Malformed:
                LogRejected(logger, read.Problem, "data");
                return Ack(frame, 400, "data is not a DingTalk robot message", NoResponse);
            case DingTalkCallbackProblem.InvalidField:
                LogRejected(logger, read.Problem, read.Field!);
                return Ack(frame, 400, $"{read.Field} is not valid", NoResponse);
            case DingTalkCallbackProblem.WrongRobot:
                LogRejected(logger, read.Problem, "robotCode");
                return Ack(frame, 403, "not this robot", NoResponse);
        }
        try
        {
            await queue.AcceptAsync(read.Work!, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogNotStored(logger, ex);
            return Ack(frame, 500, "not stored", NoResponse);
        }
        return Ack(frame, 200, "OK", NoResponse);
    }

    /// <summary>The reply is sent later through the outbox, so the callback's synchronous response is empty.</summary>
    private static readonly string NoResponse =
        JsonSerializer.Serialize(new DingTalkStreamCallbackResponse(null), DingTalkJson.Context.DingTalkStreamCallbackResponse);

    private static DingTalkStreamAck Ack(DingTalkStreamFrame frame, int code, string message, string data) =>
        new(code, new Dictionary<string, string> { ["contentType"] = "application/json", ["messageId"] = frame.MessageId! }, message, data);

    [LoggerMessage(Level = LogLevel.Warning, Message = "DingTalk stream: unreadable frame ignored")]
    private static partial void LogUnreadableFrame(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "DingTalk stream: robot message rejected ({Problem}, {Field})")]
    private static partial void LogRejected(ILogger logger, DingTalkCallbackProblem problem, string field);

    [LoggerMessage(Level = LogLevel.Error, Message = "DingTalk stream: robot message could not be stored; acked 500")]
    private static partial void LogNotStored(ILogger logger, Exception exception);
}
