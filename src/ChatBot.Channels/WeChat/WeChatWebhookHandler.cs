using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ChatBot.Channels.Shared;
using ChatBot.Core.Messaging;
using ChatBot.Core.Ports;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatBot.Channels.WeChat;

/// <summary>Why a callback was refused; logged by name, never with its content.</summary>
internal enum WeChatRejection
{
    BadSignature,
    BadMsgSignature,
    EncryptionNotConfigured,
    Malformed,
    NotDecryptable,
    WrongAppId,
    WrongAccount,
    TooLarge,
    /// <summary>A plaintext post while WeChat:Mode is Safe: its signature does not cover the body.</summary>
    PlaintextRefused,
    /// <summary>The timestamp is missing or outside WeChat:MaxClockSkewSeconds.</summary>
    StaleTimestamp,
    /// <summary>The (timestamp, nonce) pair already carried a different message.</summary>
    ReplayedNonce,
}

/// <summary>
/// GET/POST /wechat. GET answers the URL check; POST verifies, decrypts (safe and compatible mode), parses,
/// maps and asks <see cref="WeChatReplyCoordinator"/> for the passive reply, rendered in the request's mode.
/// Refused requests get a bare 4xx and never reach the engine; nothing here answers 500.
/// </summary>
public sealed partial class WeChatWebhookHandler : IDisposable
{
    /// <summary>Far above any real message; a bigger body is refused with 413 before it is parsed.</summary>
    public const int MaxBodyBytes = 64 * 1024;
    private const string XmlContentType = "application/xml; charset=utf-8";
    private const string TextContentType = "text/plain; charset=utf-8";

    private readonly WeChatOptions _options;
    private readonly WxBizMsgCrypt? _crypt;
    private readonly WeChatReplyCoordinator _replies;
    private readonly IDedupeStore _nonces;
    private readonly TimeProvider _time;
    private readonly ILogger<WeChatWebhookHandler> _logger;

    public WeChatWebhookHandler(IOptions<WeChatOptions> options, WeChatReplyCoordinator replies, IDedupeStore nonces, TimeProvider time, ILogger<WeChatWebhookHandler> logger)
    {
        _options = options.Value;
        _crypt = _options.EncryptionEnabled ? new WxBizMsgCrypt(_options.Token, _options.EncodingAESKey!, _options.AppId) : null;
        _replies = replies;
        _nonces = nonces;
        _time = time;
        _logger = logger;
    }

    /// <summary>服务器配置 URL check: echo echostr when the 3-field signature holds.</summary>
    public Task HandleGetAsync(HttpContext context)
    {
        var query = context.Request.Query;
        if (!WeChatSignature.VerifyUrlSignature(_options.Token, query["timestamp"], query["nonce"], query["signature"]))
            return RejectAsync(context, WeChatRejection.BadSignature, StatusCodes.Status401Unauthorized);
        return WriteAsync(context, TextContentType, query["echostr"].ToString());
    }

    public async Task HandlePostAsync(HttpContext context)
    {
        try
        {
            await HandlePostCoreAsync(context).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // WeChat hung up; nothing left to answer.
        }
        catch (BadHttpRequestException ex)
        {
            // The body ended before its Content-Length (the client gave up mid-request): a bad request, not our fault.
            LogRejected(_logger, WeChatRejection.Malformed, ex.StatusCode);
            if (!context.Response.HasStarted)
                context.Response.StatusCode = ex.StatusCode;
        }
        catch (Exception ex)
        {
            // Never a 500: WeChat would show the member "该公众号暂时无法提供服务".
            LogUnexpected(_logger, ex);
            if (!context.Response.HasStarted)
            {
                context.Response.Clear();
                await WriteAsync(context, TextContentType, WeChatReplyRenderer.NoReply).ConfigureAwait(false);
            }
        }
    }

    private async Task HandlePostCoreAsync(HttpContext context)
    {
        var query = context.Request.Query;
        string? timestamp = query["timestamp"], nonce = query["nonce"];
        var encrypted = string.Equals(query["encrypt_type"], "aes", StringComparison.OrdinalIgnoreCase);

        // In safe mode the URL signature proves nothing about the body (and sits in every logged URL): refuse at once.
        if (!encrypted && _options.EffectiveMode == WeChatSecurityMode.Safe)
        {
            await RejectAsync(context, WeChatRejection.PlaintextRefused, StatusCodes.Status401Unauthorized).ConfigureAwait(false);
            return;
        }
        // Plaintext mode is authenticated by the query alone: refuse before reading the body.
        if (!encrypted && !WeChatSignature.VerifyUrlSignature(_options.Token, timestamp, nonce, query["signature"]))
        {
            await RejectAsync(context, WeChatRejection.BadSignature, StatusCodes.Status401Unauthorized).ConfigureAwait(false);
            return;
        }
        if (!WithinClockSkew(timestamp))
        {
            await RejectAsync(context, WeChatRejection.StaleTimestamp, StatusCodes.Status401Unauthorized).ConfigureAwait(false);
            return;
        }

        var body = await ReadBodyAsync(context.Request, context.RequestAborted).ConfigureAwait(false);
        if (body is null)
        {
            await RejectAsync(context, WeChatRejection.TooLarge, StatusCodes.Status413PayloadTooLarge).ConfigureAwait(false);
            return;
        }

        var (xml, rejection, status) = encrypted ? Decrypt(body, query["msg_signature"], timestamp, nonce) : (body, (WeChatRejection?)null, 0);
        if (rejection is not null)
        {
            await RejectAsync(context, rejection.Value, status).ConfigureAwait(false);
            return;
        }

        var parsed = WeChatXmlParser.ParseMessage(xml);
        if (!parsed.IsSuccess)
        {
            await RejectAsync(context, WeChatRejection.Malformed, StatusCodes.Status400BadRequest).ConfigureAwait(false);
            return;
        }
        var payload = parsed.Value!;
        if (!string.IsNullOrEmpty(_options.OriginalId) && !string.Equals(payload.ToUserName, _options.OriginalId, StringComparison.Ordinal))
        {
            await RejectAsync(context, WeChatRejection.WrongAccount, StatusCodes.Status403Forbidden).ConfigureAwait(false);
            return;
        }
        if (string.IsNullOrEmpty(payload.FromUserName))
        {
            await RejectAsync(context, WeChatRejection.Malformed, StatusCodes.Status400BadRequest).ConfigureAwait(false);
            return;
        }

        var message = WeChatMessageMapper.ToInbound(payload);
        var nonceClaim = await ClaimNonceAsync(timestamp!, nonce, message).ConfigureAwait(false);
        if (nonceClaim == OwnerClaim.HeldByOther)
        {
            await RejectAsync(context, WeChatRejection.ReplayedNonce, StatusCodes.Status401Unauthorized).ConfigureAwait(false);
            return;
        }
        // The same signed request seen before is a replay only once its message record can have expired: copies
        // arriving together (a retry racing the first delivery, on any instance) must share one engine run instead.
        var repeatedRequest = nonceClaim == OwnerClaim.HeldBySameOwner && RequestAge(timestamp!) > WeChatReplyCoordinator.ClaimLifetime;
        var reply = await _replies.GetPassiveReplyAsync(message, repeatedRequest, context.RequestAborted).ConfigureAwait(false);
        if (reply.Kind == ReplyKind.None)
        {
            await WriteAsync(context, TextContentType, WeChatReplyRenderer.NoReply).ConfigureAwait(false);
            return;
        }

        var now = _time.GetUtcNow().ToUnixTimeSeconds();
        var replyXml = WeChatReplyRenderer.Render(reply, payload, now);
        if (encrypted)
        {
            // A fresh timestamp and nonce: the reply is signed over its own, not the request's.
            var replyNonce = RandomNumberGenerator.GetInt32(100_000_000, int.MaxValue).ToString(CultureInfo.InvariantCulture);
            replyXml = WeChatReplyRenderer.RenderEncrypted(_crypt!, replyXml, now.ToString(CultureInfo.InvariantCulture), replyNonce);
        }
        await WriteAsync(context, XmlContentType, replyXml).ConfigureAwait(false);
    }

    private (string? Xml, WeChatRejection? Rejection, int Status) Decrypt(string body, string? msgSignature, string? timestamp, string? nonce)
    {
        if (_crypt is null)
            return (null, WeChatRejection.EncryptionNotConfigured, StatusCodes.Status400BadRequest);

        var envelope = WeChatXmlParser.ParseEnvelope(body);
        if (!envelope.IsSuccess)
            return (null, WeChatRejection.Malformed, StatusCodes.Status400BadRequest);
        // In encrypted modes msg_signature (over Encrypt) is what proves the sender, not signature.
        if (!_crypt.VerifySignature(msgSignature, timestamp, nonce, envelope.Value!.Encrypt))
            return (null, WeChatRejection.BadMsgSignature, StatusCodes.Status401Unauthorized);

        var decrypted = _crypt.Decrypt(envelope.Value.Encrypt);
        return decrypted.Status switch
        {
            WxDecryptStatus.Success => (decrypted.Message, null, 0),
            WxDecryptStatus.ReceiveIdMismatch => (null, WeChatRejection.WrongAppId, StatusCodes.Status403Forbidden),
            _ => (null, WeChatRejection.NotDecryptable, StatusCodes.Status400BadRequest),
        };
    }

    private TimeSpan RequestAge(string timestamp) =>
        TimeSpan.FromSeconds(_time.GetUtcNow().ToUnixTimeSeconds() - long.Parse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture));

    private bool WithinClockSkew(string? timestamp)
    {
        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            return false;
        var skew = Math.Abs(_time.GetUtcNow().ToUnixTimeSeconds() - seconds);
        return skew <= _options.MaxClockSkewSeconds;
    }

    /// <summary>
    /// A signed (timestamp, nonce) pair belongs to the first message that used it, on any instance (shared store).
    /// The same message again is either WeChat's own retry or a replay of the very same captured request: it is
    /// answered from the parked reply while that lives and never runs the engine again. A different message under
    /// the same pair is a forgery with a captured URL. The pair is remembered exactly as long as its timestamp stays
    /// acceptable (until timestamp + skew), not longer: at full speed these are most of what the store holds.
    /// </summary>
    private Task<OwnerClaim> ClaimNonceAsync(string timestamp, string? nonce, InboundMessage message)
    {
        var owner = message.SenderId + "|" + message.DedupeKey;
        var acceptableUntil = long.Parse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture) + _options.MaxClockSkewSeconds;
        var ttl = TimeSpan.FromSeconds(Math.Max(1, acceptableUntil - _time.GetUtcNow().ToUnixTimeSeconds() + 1));
        return _nonces.ClaimForAsync($"wx:nonce:{timestamp}:{nonce}", owner, ttl, CancellationToken.None);
    }

    /// <summary>The body as text, or null when it is larger than <see cref="MaxBodyBytes"/>.</summary>
    private static async Task<string?> ReadBodyAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.ContentLength > MaxBodyBytes)
            return null;
        var buffer = ArrayPool<byte>.Shared.Rent(request.ContentLength is > 0 and var length ? (int)length + 1 : 4096);
        try
        {
            var used = 0;
            while (true)
            {
                if (used == buffer.Length)
                {
                    if (used > MaxBodyBytes)
                        return null;
                    var larger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, MaxBodyBytes + 1));
                    buffer.AsSpan(0, used).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }
                var read = await request.Body.ReadAsync(buffer.AsMemory(used), ct).ConfigureAwait(false);
                if (read == 0)
                    break;
                used += read;
                if (used > MaxBodyBytes)
                    return null;
            }
            return Encoding.UTF8.GetString(buffer, 0, used);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private Task RejectAsync(HttpContext context, WeChatRejection rejection, int status)
    {
        LogRejected(_logger, rejection, status);
        context.Response.StatusCode = status;
        return Task.CompletedTask;
    }

    private static Task WriteAsync(HttpContext context, string contentType, string body)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = contentType;
        return context.Response.WriteAsync(body, context.RequestAborted);
    }

    public void Dispose() => _crypt?.Dispose();

    [LoggerMessage(Level = LogLevel.Warning, Message = "WeChat callback refused: {Rejection} ({Status})")]
    private static partial void LogRejected(ILogger logger, WeChatRejection rejection, int status);

    [LoggerMessage(Level = LogLevel.Error, Message = "WeChat callback failed unexpectedly; answered success")]
    private static partial void LogUnexpected(ILogger logger, Exception exception);
}
