using ChatBot.Channels.Shared;

namespace ChatBot.Channels.WeChat;

/// <summary>
/// The two callback signatures: <c>signature</c> (token, timestamp, nonce) on every request, and
/// <c>msg_signature</c> (token, timestamp, nonce, Encrypt) in safe/compatible mode, where the
/// docs say to check it instead of <c>signature</c>. Comparisons run in fixed time.
/// </summary>
public static class WeChatSignature
{
    public static string ComputeUrlSignature(string token, string timestamp, string nonce) =>
        WxSignature.Compute(token, timestamp, nonce);

    public static bool VerifyUrlSignature(string token, string? timestamp, string? nonce, string? signature) =>
        !string.IsNullOrEmpty(token) && timestamp is not null && nonce is not null && signature is not null
        && WxSignature.Verify(signature, token, timestamp, nonce);

    public static string ComputeMsgSignature(string token, string timestamp, string nonce, string encrypt) =>
        WxSignature.Compute(token, timestamp, nonce, encrypt);

    public static bool VerifyMsgSignature(string token, string? timestamp, string? nonce, string? encrypt, string? msgSignature) =>
        !string.IsNullOrEmpty(token) && timestamp is not null && nonce is not null && encrypt is not null && msgSignature is not null
        && WxSignature.Verify(msgSignature, token, timestamp, nonce, encrypt);
}
