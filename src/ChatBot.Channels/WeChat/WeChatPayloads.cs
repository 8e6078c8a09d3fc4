namespace ChatBot.Channels.WeChat;

/// <summary>
/// The top-level fields of an incoming official-account message or event, as WeChat sends them
/// (strings, except CreateTime). Fields a message type does not carry are null.
/// </summary>
public sealed record WeChatInboundPayload
{
    /// <summary>The account's original id (gh_…).</summary>
    public string? ToUserName { get; init; }
    /// <summary>The sender's OpenID.</summary>
    public string? FromUserName { get; init; }
    /// <summary>Unix seconds.</summary>
    public long CreateTime { get; init; }
    public string? MsgType { get; init; }
    public string? Content { get; init; }
    /// <summary>64-bit message id of normal messages; kept as text so no digit is lost or reformatted.</summary>
    public string? MsgId { get; init; }
    public string? MsgDataId { get; init; }
    public string? Idx { get; init; }
    public string? Event { get; init; }
    public string? EventKey { get; init; }
    public string? Ticket { get; init; }
    public string? MediaId { get; init; }
    public string? ThumbMediaId { get; init; }
    public string? Format { get; init; }
    /// <summary>Speech-to-text of a voice message; often empty (the feature is being retired).</summary>
    public string? Recognition { get; init; }
    public string? PicUrl { get; init; }
    /// <summary>Latitude of a location message (Location_X).</summary>
    public string? LocationX { get; init; }
    /// <summary>Longitude of a location message (Location_Y).</summary>
    public string? LocationY { get; init; }
    public string? Scale { get; init; }
    public string? Label { get; init; }
    public string? Title { get; init; }
    public string? Description { get; init; }
    public string? Url { get; init; }
    /// <summary>LOCATION event fields.</summary>
    public string? Latitude { get; init; }
    public string? Longitude { get; init; }
    public string? Precision { get; init; }
    /// <summary>Id of a template or mass message in TEMPLATESENDJOBFINISH / MASSSENDJOBFINISH (spelled MsgID there).</summary>
    public string? MsgID { get; init; }
    public string? Status { get; init; }
    /// <summary>Present in safe and compatible mode; the real message is inside.</summary>
    public string? Encrypt { get; init; }
}

/// <summary>What a safe/compatible-mode body is read for before decryption.</summary>
public sealed record WeChatEnvelope(string? ToUserName, string Encrypt);
