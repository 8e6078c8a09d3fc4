using System.ComponentModel.DataAnnotations;

namespace ChatBot.Channels.WeChat;

/// <summary>
/// Which callbacks are accepted. The URL <c>signature</c> covers only token, timestamp and nonce — not the body — and
/// shows in every logged callback URL, so only <see cref="Safe"/> proves that the message itself came from WeChat.
/// </summary>
public enum WeChatSecurityMode
{
    /// <summary>明文: plaintext posts checked by <c>signature</c> (no EncodingAESKey needed).</summary>
    Plain,
    /// <summary>兼容: plaintext and encrypted posts; use only while switching the account to 安全 mode.</summary>
    Compatible,
    /// <summary>安全: only encrypted posts whose <c>msg_signature</c> covers the Encrypt value; anything else is 401.</summary>
    Safe,
}

/// <summary>Settings of the WeChat official account ("WeChat" section; secrets from environment variables).</summary>
public sealed class WeChatOptions
{
    public const string SectionName = "WeChat";
    public const int MinReplyBudgetMs = 500;
    // WeChat drops the connection at 5 s; keep room for the network and for rendering.
    public const int MaxReplyBudgetMs = 4800;

    [Required(ErrorMessage = "WeChat:AppId is required")]
    public string AppId { get; set; } = "";

    [Required(ErrorMessage = "WeChat:AppSecret is required")]
    public string AppSecret { get; set; } = "";

    /// <summary>The token entered in the 服务器配置 page; signs every callback.</summary>
    [Required(ErrorMessage = "WeChat:Token is required")]
    public string Token { get; set; } = "";

    /// <summary>43 characters; needed only for safe (安全) and compatible (兼容) mode. Empty: encrypted requests are refused.</summary>
    [RegularExpression("^[A-Za-z0-9]{43}$", ErrorMessage = "WeChat:EncodingAESKey must be 43 characters (A-Z, a-z, 0-9)")]
    public string? EncodingAESKey { get; set; }

    /// <summary>The account's original id (gh_…); optional, checked against ToUserName when set.</summary>
    [RegularExpression("^gh_[A-Za-z0-9]+$", ErrorMessage = "WeChat:OriginalId must look like gh_xxxxxxxxxxxx")]
    public string? OriginalId { get; set; }

    [Required(ErrorMessage = "WeChat:ApiBaseUrl is required")]
    [Url(ErrorMessage = "WeChat:ApiBaseUrl must be an absolute http(s) URL")]
    public string ApiBaseUrl { get; set; } = "https://api.weixin.qq.com";

    /// <summary>How long a passive reply may take before answering "success" and sending it as a 客服消息 instead.</summary>
    [Range(MinReplyBudgetMs, MaxReplyBudgetMs, ErrorMessage = "WeChat:ReplyBudgetMs must be between 500 and 4800")]
    public int ReplyBudgetMs { get; set; } = 4000;

    /// <summary>Empty: <see cref="WeChatSecurityMode.Safe"/> when an EncodingAESKey is set, else <see cref="WeChatSecurityMode.Plain"/>.</summary>
    public WeChatSecurityMode? Mode { get; set; }

    /// <summary>A callback whose timestamp is further than this from our clock is refused (it is a replay or a broken clock).</summary>
    public int MaxClockSkewSeconds { get; set; } = 300;

    public WeChatSecurityMode EffectiveMode => Mode ?? (EncryptionEnabled ? WeChatSecurityMode.Safe : WeChatSecurityMode.Plain);

    public bool EncryptionEnabled => !string.IsNullOrEmpty(EncodingAESKey);
}
