using System.Buffers;
using System.Text.Json;
using ChatBot.Core.Messaging;
using ChatBot.Core.Ports;
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

    /// <summary>
    /// Maps the callback only when <c>DingTalk:AppSecret</c> is set and <c>DingTalk:Mode</c> is Http; otherwise
    /// /dingtalk stays a 404 (in Stream mode messages arrive over the socket the host opens, so there is no public URL
    /// to attack with a captured sign).
    /// </summary>
    public static IEndpointRouteBuilder MapDingTalk(this IEndpointRouteBuilder endpoints)
    {
        var options = endpoints.ServiceProvider.GetRequiredService<IOptions<DingTalkOptions>>().Value;
        if (options.Enabled && options.Mode == DingTalkMode.Http)
            endpoints.MapPost(Path, HandleAsync).DisableAntiforgery();
        return endpoints;
    }

    internal static async Task<IResult> HandleAsync(
        HttpContext http, DingTalkSignature signature, IDingTalkAnswerQueue queue, IDedupeStore signatures,
        IOptions<DingTalkOptions> options, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger(typeof(DingTalkWebhookEndpoints).FullName!);
        string? timestamp = http.Request.Headers["timestamp"];
        string? sign = http.Request.Headers["sign"];
        var check = signature.Verify(timestamp, sign);
        if (check != DingTalkSignatureResult.Ok)
        {
            LogRejected(logger, check);
            return Results.StatusCode(StatusCodes.Status401Unauthorized);
        }

        var body = await ReadCappedAsync(http.Request, http.RequestAborted);
        if (body is null)
            return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);

        var settings = options.Value;
        var read = DingTalkCallbackReader.Read(body, settings);
        switch (read.Problem)
        {
            case DingTalkCallbackProblem.Malformed:
                return Results.BadRequest(new { error = "body is not a DingTalk robot callback" });
            case DingTalkCallbackProblem.InvalidField:
                LogInvalidField(logger, read.Field!);
                return Results.BadRequest(new { error = $"{read.Field} is not valid" });
            case DingTalkCallbackProblem.WrongRobot:
                // Signed with our secret but addressed to another robot: never answer as this one.
                LogWrongRobot(logger);
                return Results.StatusCode(StatusCodes.Status403Forbidden);
        }

        var work = read.Work!;
        if (!await IsFirstUseOfSignAsync(signatures, timestamp!, sign!, work.Message, settings))
        {
            LogReplayedSign(logger);
            return Results.StatusCode(StatusCodes.Status401Unauthorized);
        }

        try
        {
            await queue.AcceptAsync(work, http.RequestAborted);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Not stored, so not accepted: 503 rather than a 200 for an answer that will never come.
            LogNotStored(logger, ex);
            return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
        }
        return Results.Ok();
    }

    /// <summary>
    /// The header sign covers only timestamp + secret, not the body, so a captured pair would be a bearer token for
    /// the whole skew window. It belongs to the first message (msgId) that used it, on any instance (shared store);
    /// DingTalk's own resend of that message passes, a different body under the same pair is refused. Remembered
    /// for twice the window: the longest a timestamp stays acceptable on either side of our clock.
    /// </summary>
    private static async Task<bool> IsFirstUseOfSignAsync(IDedupeStore signatures, string timestamp, string sign, InboundMessage message, DingTalkOptions settings)
    {
        var ttl = 2 * settings.MaxClockSkew;
        var claim = await signatures.ClaimForAsync($"dt:sign:{timestamp}:{sign}", message.DedupeKey, ttl, CancellationToken.None);
        return claim != OwnerClaim.HeldByOther;
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "DingTalk callback rejected: field {Field} is not valid")]
    private static partial void LogInvalidField(ILogger logger, string field);

    [LoggerMessage(Level = LogLevel.Warning, Message = "DingTalk callback rejected: robotCode/chatbotUserId is not this robot's")]
    private static partial void LogWrongRobot(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "DingTalk callback rejected: timestamp/sign pair already used by another message")]
    private static partial void LogReplayedSign(ILogger logger);

}
