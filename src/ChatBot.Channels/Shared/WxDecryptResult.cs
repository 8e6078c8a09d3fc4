namespace ChatBot.Channels.Shared;

public enum WxDecryptStatus
{
    Success = 0,
    /// <summary>The Encrypt text is empty or not standard Base64.</summary>
    InvalidBase64 = 1,
    /// <summary>The ciphertext is not a whole number of AES blocks.</summary>
    InvalidCiphertext = 2,
    /// <summary>The PKCS#7 (block 32) padding is not 1..32 identical bytes: wrong key or tampered data.</summary>
    InvalidPadding = 3,
    /// <summary>The 4-byte message length does not fit the decrypted buffer.</summary>
    InvalidLength = 4,
    /// <summary>Decrypted fine, but for another AppID / CorpID / robot.</summary>
    ReceiveIdMismatch = 5,
}

/// <summary>Outcome of <see cref="WxBizMsgCrypt.Decrypt"/>; malformed input is a status, never an exception.</summary>
public readonly record struct WxDecryptResult(WxDecryptStatus Status, string? Message, string? ReceiveId)
{
    public bool IsSuccess => Status == WxDecryptStatus.Success;

    internal static WxDecryptResult Fail(WxDecryptStatus status, string? receiveId = null) => new(status, null, receiveId);
}
