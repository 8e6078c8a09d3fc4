using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace ChatBot.Channels.Shared;

/// <summary>
/// Tencent's "WXBizMsgCrypt" message encryption, shared by WeChat official accounts (safe/compatible mode),
/// WeCom app callbacks and DingTalk callbacks: AES-256-CBC, IV = key[0..16), PKCS#7 padding to 32-byte blocks,
/// plaintext = random(16) ‖ big-endian int32 UTF-8 length ‖ message ‖ receive id.
/// Thread-safe; create one per configured account and keep it.
/// </summary>
public sealed class WxBizMsgCrypt : IDisposable
{
    public const int EncodingAesKeyLength = 43;
    public const int RandomLength = 16;
    private const int KeyLength = 32;
    private const int IvLength = 16;
    private const int LengthFieldSize = 4;
    private const int HeaderLength = RandomLength + LengthFieldSize;
    // Tencent pads to 32-byte blocks, not AES's 16, so the pad value can be up to 32 and
    // PaddingMode.PKCS7 would reject valid messages (pad 22 in the official worked example).
    private const int PadBlockSize = 32;

    private readonly byte[] _key;
    private readonly byte[] _receiveIdUtf8;
    // Aes objects and their transforms are not safe for concurrent use, so each call borrows a
    // cipher. Reusing its transforms skips the per-call native cipher setup of the one-shot APIs,
    // which costs more than the AES work on a typical message.
    private readonly ConcurrentBag<CbcCipher> _pool = [];
    private readonly int _maxPooled = Math.Max(4, Environment.ProcessorCount * 2);
    private int _pooledCount;
    private bool _disposed;

    public WxBizMsgCrypt(string token, string encodingAesKey, string receiveId)
    {
        ArgumentException.ThrowIfNullOrEmpty(token);
        ArgumentNullException.ThrowIfNull(receiveId);
        Token = token;
        ReceiveId = receiveId;
        _key = DecodeAesKey(encodingAesKey);
        _receiveIdUtf8 = Encoding.UTF8.GetBytes(receiveId);
    }

    public string Token { get; }

    /// <summary>AppID (WeChat), CorpID (WeCom) or corpId/appKey (DingTalk) that every message must carry.</summary>
    public string ReceiveId { get; }

    /// <summary>Checks the shape of an EncodingAESKey; returns null when valid, else the reason.</summary>
    public static string? ValidateEncodingAesKey(string? encodingAesKey)
    {
        if (string.IsNullOrEmpty(encodingAesKey))
            return "is empty";
        if (encodingAesKey.Length != EncodingAesKeyLength)
            return $"must be {EncodingAesKeyLength} characters";
        foreach (var c in encodingAesKey)
        {
            if (!char.IsAsciiLetterOrDigit(c))
                return "may contain only letters A-Z, a-z and digits 0-9";
        }
        return null;
    }

    /// <summary>AESKey = Base64Decode(EncodingAESKey + "="), which must be exactly 32 bytes.</summary>
    public static byte[] DecodeAesKey(string encodingAesKey)
    {
        var problem = ValidateEncodingAesKey(encodingAesKey);
        if (problem is not null)
            throw new ArgumentException($"EncodingAESKey {problem}.", nameof(encodingAesKey));

        Span<char> padded = stackalloc char[EncodingAesKeyLength + 1];
        encodingAesKey.CopyTo(padded);
        padded[EncodingAesKeyLength] = '=';
        var key = new byte[KeyLength];
        if (!Convert.TryFromBase64Chars(padded, key, out var written) || written != KeyLength)
            throw new ArgumentException("EncodingAESKey does not decode to a 32-byte AES key.", nameof(encodingAesKey));
        return key;
    }

    /// <summary>msg_signature over this account's token and the given fields.</summary>
    public string Sign(string timestamp, string nonce, string encrypt) => WxSignature.Compute(Token, timestamp, nonce, encrypt);

    public bool VerifySignature(string? msgSignature, string? timestamp, string? nonce, string? encrypt) =>
        msgSignature is not null && timestamp is not null && nonce is not null && encrypt is not null
        && WxSignature.Verify(msgSignature, Token, timestamp, nonce, encrypt);

    /// <summary>Encrypts with a fresh cryptographic random prefix.</summary>
    public string Encrypt(string message)
    {
        Span<byte> random = stackalloc byte[RandomLength];
        RandomNumberGenerator.Fill(random);
        return Encrypt(message, random);
    }

    /// <summary>Encrypts with the caller's 16-byte random prefix (known-answer tests pin it).</summary>
    public string Encrypt(string message, ReadOnlySpan<byte> random)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (random.Length != RandomLength)
            throw new ArgumentException($"The random prefix must be {RandomLength} bytes.", nameof(random));

        var messageLength = Encoding.UTF8.GetByteCount(message);
        var contentLength = HeaderLength + messageLength + _receiveIdUtf8.Length;
        var pad = PadBlockSize - contentLength % PadBlockSize;
        var total = contentLength + pad;

        var rented = ArrayPool<byte>.Shared.Rent(total * 2);
        try
        {
            var plain = rented.AsSpan(0, total);
            random.CopyTo(plain);
            BinaryPrimitives.WriteInt32BigEndian(plain[RandomLength..], messageLength);
            Encoding.UTF8.GetBytes(message, plain[HeaderLength..]);
            _receiveIdUtf8.CopyTo(plain[(HeaderLength + messageLength)..]);
            plain[contentLength..].Fill((byte)pad);

            var cipher = Rent();
            try
            {
                cipher.Encrypt(rented, 0, total, total);
            }
            finally
            {
                Return(cipher);
            }
            return Convert.ToBase64String(rented.AsSpan(total, total));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented, clearArray: true);
        }
    }

    /// <summary>
    /// Decrypts an Encrypt field and checks the receive id. Verify the signature first: it is what
    /// proves the sender; this only proves the key and the addressee.
    /// </summary>
    public WxDecryptResult Decrypt(string? encrypt)
    {
        if (string.IsNullOrEmpty(encrypt))
            return WxDecryptResult.Fail(WxDecryptStatus.InvalidBase64);

        var capacity = (encrypt.Length + 3) / 4 * 3;
        var rented = ArrayPool<byte>.Shared.Rent(capacity * 2);
        try
        {
            var cipherBuffer = rented.AsSpan(0, capacity);
            if (!Convert.TryFromBase64String(encrypt, cipherBuffer, out var cipherLength))
                return WxDecryptResult.Fail(WxDecryptStatus.InvalidBase64);
            if (cipherLength == 0 || cipherLength % IvLength != 0)
                return WxDecryptResult.Fail(WxDecryptStatus.InvalidCiphertext);

            var cipher = Rent();
            try
            {
                cipher.Decrypt(rented, 0, cipherLength, capacity);
            }
            finally
            {
                Return(cipher);
            }
            return ReadPlaintext(rented.AsSpan(capacity, cipherLength));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented, clearArray: true);
        }
    }

    private WxDecryptResult ReadPlaintext(ReadOnlySpan<byte> plain)
    {
        int pad = plain[^1];
        if (pad is < 1 or > PadBlockSize || pad > plain.Length || plain[^pad..].ContainsAnyExcept((byte)pad))
            return WxDecryptResult.Fail(WxDecryptStatus.InvalidPadding);

        var content = plain[..^pad];
        if (content.Length < HeaderLength)
            return WxDecryptResult.Fail(WxDecryptStatus.InvalidLength);
        var messageLength = BinaryPrimitives.ReadInt32BigEndian(content.Slice(RandomLength, LengthFieldSize));
        if (messageLength < 0 || messageLength > content.Length - HeaderLength)
            return WxDecryptResult.Fail(WxDecryptStatus.InvalidLength);

        var receiveId = content[(HeaderLength + messageLength)..];
        if (!receiveId.SequenceEqual(_receiveIdUtf8))
            return WxDecryptResult.Fail(WxDecryptStatus.ReceiveIdMismatch, Encoding.UTF8.GetString(receiveId));

        var message = Encoding.UTF8.GetString(content.Slice(HeaderLength, messageLength));
        return new WxDecryptResult(WxDecryptStatus.Success, message, ReceiveId);
    }

    private CbcCipher Rent()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_pool.TryTake(out var cipher))
        {
            Interlocked.Decrement(ref _pooledCount);
            return cipher;
        }
        return new CbcCipher(_key);
    }

    private void Return(CbcCipher cipher)
    {
        if (!_disposed && Interlocked.Increment(ref _pooledCount) <= _maxPooled)
        {
            _pool.Add(cipher);
            return;
        }
        Interlocked.Decrement(ref _pooledCount);
        cipher.Dispose();
    }

    public void Dispose()
    {
        _disposed = true;
        while (_pool.TryTake(out var cipher))
            cipher.Dispose();
    }

    /// <summary>
    /// AES-256-CBC without padding and with the fixed IV key[0..16), for one thread at a time.
    /// The IV never changes, so the transforms are reset and reused instead of rebuilt.
    /// </summary>
    private sealed class CbcCipher : IDisposable
    {
        private readonly Aes _aes;
        private readonly ICryptoTransform _encryptor;
        private readonly ICryptoTransform _decryptor;

        public CbcCipher(byte[] key)
        {
            _aes = Aes.Create();
            _aes.Mode = CipherMode.CBC;
            _aes.Padding = PaddingMode.None;
            _aes.Key = key;
            _aes.IV = key[..IvLength];
            _encryptor = _aes.CreateEncryptor();
            _decryptor = _aes.CreateDecryptor();
        }

        /// <summary>Transforms <paramref name="count"/> bytes (whole blocks) at <paramref name="from"/> to <paramref name="to"/> in the same buffer.</summary>
        public void Encrypt(byte[] buffer, int from, int count, int to) => Run(_encryptor, buffer, from, count, to);

        public void Decrypt(byte[] buffer, int from, int count, int to) => Run(_decryptor, buffer, from, count, to);

        private static void Run(ICryptoTransform transform, byte[] buffer, int from, int count, int to)
        {
            var written = transform.TransformBlock(buffer, from, count, buffer, to);
            // The final call is empty; it only resets the chaining state to the IV for the next message.
            transform.TransformFinalBlock(buffer, from, 0);
            if (written != count)
                throw new CryptographicException("The AES transform did not process every block.");
        }

        public void Dispose()
        {
            _encryptor.Dispose();
            _decryptor.Dispose();
            _aes.Dispose();
        }
    }
}
