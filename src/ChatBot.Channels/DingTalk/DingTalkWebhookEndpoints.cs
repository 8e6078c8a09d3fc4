using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatBot.Channels.DingTalk;

/// <summary>
/// <c>POST /dingtalk</c>: the enterprise robot's HTTP-mode callback for @-messages. Checks the signed headers before
/// reading the body, stores the message durably (<see cref="IDingTalkAnswerQueue"/>) and answers 200; the engine runs
/// and the answer is posted by the host's delivery sender.
/// </summary>
public static partial class DingTalkWebhookEndpoints
{
    public const string Path = "/dingtalk";
    public const int MaxBodyBytes = 64 * 1024;

    /// <summary>Maps the callback only when <c>DingTalk:AppSecret</c> is set; otherwise /dingtalk stays a 404.</summary>
    public static IEndpointRouteBuilder MapDingTalk(this IEndpointRouteBuilder endpoints)
    {
        var options = endpoints.ServiceProvider.GetRequiredService<IOptions<DingTalkOptions>>().Value;
        if (options.Enabled)
            endpoints.MapPost(Path, HandleAsync).DisableAntiforgery();
        return endpoints;
    }

    internal static async Task<IResult> HandleAsync(
        HttpContext http, DingTalkSignature signature, IDingTalkAnswerQueue queue, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger(typeof(DingTalkWebhookEndpoints).FullName!);
        var check = signature.Verify(http.Request.Headers["timestamp"], http.Request.Headers["sign"]);
        if (check != DingTalkSignatureResult.Ok)
        {
            LogRejected(logger, check);
            return Results.StatusCode(StatusCodes.Status401Unauthorized);
        }

        var body = await ReadCappedAsync(http.Request, http.RequestAborted);
        if (body is null)
            return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);

        DingTalkRobotCallback? callback;
        try
        {
            callback = DingTalkJson.ParseCallback(body);
        }
        catch (JsonException)
        {
            callback = null;
        }
        if (callback is null)
            return Results.BadRequest();

        var message = DingTalkMessageMapper.ToInbound(callback);
        try
        {
            await queue.AcceptAsync(new DingTalkReplyWork(message, DingTalkReplyTarget.From(callback, message)), http.RequestAborted);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Not stored, so not accepted: 503 rather than a 200 for an answer that will never come.
            LogNotStored(logger, ex);
            return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
        }
        return Results.Ok();
    }

    /// <summary>The body, or null when it is larger than <see cref="MaxBodyBytes"/> (read no further than that).</summary>
    private static async Task<byte[]?> ReadCappedAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.ContentLength > MaxBodyBytes)
            return null;
        var buffer = new ArrayBufferWriter<byte>(4096);
        while (true)
        {
            var memory = buffer.GetMemory(4096);
            var read = await request.Body.ReadAsync(memory, ct);
            if (read == 0)
                return buffer.WrittenSpan.ToArray();
            buffer.Advance(read);
            if (buffer.WrittenCount > MaxBodyBytes)
                return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "DingTalk callback rejected: signature check {Result}")]
    private static partial void LogRejected(ILogger logger, DingTalkSignatureResult result);

    [LoggerMessage(Level = LogLevel.Error, Message = "DingTalk callback refused: the message could not be stored")]
    private static partial void LogNotStored(ILogger logger, Exception exception);
}
