using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using ChatBot.Channels.Shared;

namespace ChatBot.UnitTests.Shared;

public sealed class WxBizMsgCryptTests
{
    private const string OaKey = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
    private const string OaAppId = "wxb11529c136998cb6";

    public static TheoryData<string> AllCases => CryptoVectorCases.Names(_ => true);
    public static TheoryData<string> CasesWithRandom => CryptoVectorCases.Names(c => c.Random is not null);
    public static TheoryData<string> CasesWithSignature => CryptoVectorCases.Names(c => c.Signature is not null);
    public static TheoryData<string> CasesWithReplyXml => CryptoVectorCases.Names(c => c.ReplyXml is not null);

    [Theory]
    [MemberData(nameof(AllCases))]
    public void Decrypt_ReturnsPlaintextAndReceiveId_ForEveryVector(string name)
    {
        var c = CryptoVectorCases.Get(name);
        using var crypt = new WxBizMsgCrypt(c.Token, c.EncodingAesKey, c.ReceiveId);

        var result = crypt.Decrypt(c.Encrypt);

        Assert.Equal(WxDecryptStatus.Success, result.Status);
        Assert.Equal(c.Plaintext, result.Message);
        Assert.Equal(c.ReceiveId, result.ReceiveId);
    }

    [Theory]
    [MemberData(nameof(CasesWithRandom))]
    public void Encrypt_ReproducesVectorCiphertext_WithTheVectorsRandom(string name)
    {
        var c = CryptoVectorCases.Get(name);
        using var crypt = new WxBizMsgCrypt(c.Token, c.EncodingAesKey, c.ReceiveId);

        var encrypt = crypt.Encrypt(c.Plaintext, Encoding.ASCII.GetBytes(c.Random!));

        Assert.Equal(c.Encrypt, encrypt);
    }

    [Theory]
    [MemberData(nameof(CasesWithSignature))]
    public void SignAndVerify_MatchVectorMsgSignature(string name)
    {
        var c = CryptoVectorCases.Get(name);
        using var crypt = new WxBizMsgCrypt(c.Token, c.EncodingAesKey, c.ReceiveId);

        Assert.Equal(c.Signature, crypt.Sign(c.Timestamp!, c.Nonce!, c.Encrypt));
        Assert.True(crypt.VerifySignature(c.Signature, c.Timestamp, c.Nonce, c.Encrypt));
        Assert.False(crypt.VerifySignature(c.Signature, c.Timestamp, c.Nonce + "1", c.Encrypt));
        Assert.False(crypt.VerifySignature(c.Signature, c.Timestamp, c.Nonce, c.Encrypt[1..]));
    }

    [Theory]
    [MemberData(nameof(CasesWithReplyXml))]
    public void Wrap_RendersVectorReplyEnvelope_ByteForByte(string name)
    {
        var c = CryptoVectorCases.Get(name);
        using var crypt = new WxBizMsgCrypt(c.Token, c.EncodingAesKey, c.ReceiveId);
        var encrypt = crypt.Encrypt(c.Plaintext, Encoding.ASCII.GetBytes(c.Random!));

        var xml = WxEncryptedEnvelope.Wrap(crypt, encrypt, c.Timestamp!, c.Nonce!);

        Assert.Equal(c.ReplyXml, xml);
    }

    [Fact]
    public void VerifySignature_RejectsWeComNegativeCase_WhenNonceDiffers()
    {
        var v = ProtocolVectors.MsgCrypto("WECOM-wechatpy-verifyurl");
        using var crypt = new WxBizMsgCrypt(v.Str("token"), v.Str("encoding_aes_key"), v.Str("receive_id"));
        var negative = v.GetProperty("negative_case");
        Assert.Equal("InvalidSignature", negative.Str("expect"));

        Assert.True(crypt.VerifySignature(v.Str("msg_signature"), v.Str("timestamp"), v.Str("nonce"), v.Str("echostr")));
        Assert.False(crypt.VerifySignature(v.Str("msg_signature"), v.Str("timestamp"), negative.Str("nonce"), v.Str("echostr")));
    }

    [Fact]
    public void Decrypt_AcceptsPadOf22_WhereDotNetPkcs7PaddingWouldThrow()
    {
        var c = CryptoVectorCases.Get("WX-OPEN-E-doc-roundtrip/request");
        Assert.Equal(22, c.PaddingByte);
        var key = WxBizMsgCrypt.DecodeAesKey(c.EncodingAesKey);
        using (var aes = Aes.Create())
        {
            aes.Key = key;
            Assert.ThrowsAny<CryptographicException>(() =>
                aes.DecryptCbc(Convert.FromBase64String(c.Encrypt), key.AsSpan(0, 16), PaddingMode.PKCS7));
        }
        using var crypt = new WxBizMsgCrypt(c.Token, c.EncodingAesKey, c.ReceiveId);

        var result = crypt.Decrypt(c.Encrypt);

        Assert.True(result.IsSuccess);
        Assert.Equal(292, Encoding.UTF8.GetByteCount(result.Message!));
    }

    [Fact]
    public void DecodeAesKey_GivesAllZeroKey_ForFortyThreeAs()
    {
        Assert.Equal(new byte[32], WxBizMsgCrypt.DecodeAesKey(new string('A', 43)));
    }

    [Theory]
    [InlineData("abcdefghijklmnopqrstuvwxyz0123456789ABCDEF", "43 characters")]
    [InlineData("abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGH", "43 characters")]
    [InlineData("abcdefghijklmnopqrstuvwxyz0123456789ABCDE+G", "letters")]
    [InlineData("", "empty")]
    public void Constructor_ThrowsClearArgumentException_WhenEncodingAesKeyIsInvalid(string key, string expectedInMessage)
    {
        var ex = Assert.Throws<ArgumentException>(() => new WxBizMsgCrypt("token", key, OaAppId));

        Assert.Contains("EncodingAESKey", ex.Message, StringComparison.Ordinal);
        Assert.Contains(expectedInMessage, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decrypt_ReportsReceiveIdMismatch_WhenMessageIsForAnotherApp()
    {
        var c = CryptoVectorCases.Get("WX-OA-A1");
        using var crypt = new WxBizMsgCrypt(c.Token, c.EncodingAesKey, "wx0000000000000000");

        var result = crypt.Decrypt(c.Encrypt);

        Assert.Equal(WxDecryptStatus.ReceiveIdMismatch, result.Status);
        Assert.Null(result.Message);
        Assert.Equal(c.ReceiveId, result.ReceiveId);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not base64!")]
    [InlineData("abc")]
    [InlineData("jn1L23DB+6ELqJ+6bruv21Y6MD7KeIfP82D6gU39rmkgczbWwt5+3bnyg5K55bgVtVzd832WzZGMhkP72vVOfg=")]
    public void Decrypt_ReportsInvalidBase64_WhenEncryptIsNotBase64(string encrypt)
    {
        using var crypt = new WxBizMsgCrypt("pamtest", OaKey, OaAppId);

        Assert.Equal(WxDecryptStatus.InvalidBase64, crypt.Decrypt(encrypt).Status);
    }

    [Theory]
    [InlineData(15)]
    [InlineData(20)]
    [InlineData(33)]
    public void Decrypt_ReportsInvalidCiphertext_WhenNotWholeAesBlocks(int length)
    {
        using var crypt = new WxBizMsgCrypt("pamtest", OaKey, OaAppId);

        Assert.Equal(WxDecryptStatus.InvalidCiphertext, crypt.Decrypt(Convert.ToBase64String(new byte[length])).Status);
    }

    [Fact]
    public void Decrypt_ReportsInvalidPadding_WhenLastBlockIsTampered()
    {
        var c = CryptoVectorCases.Get("WX-OA-A1");
        var bytes = Convert.FromBase64String(c.Encrypt);
        bytes[^20] ^= 0x01; // second-to-last block: garbles the last plaintext block, pad included
        using var crypt = new WxBizMsgCrypt(c.Token, c.EncodingAesKey, c.ReceiveId);

        var result = crypt.Decrypt(Convert.ToBase64String(bytes));

        Assert.Equal(WxDecryptStatus.InvalidPadding, result.Status);
        Assert.Null(result.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(33)]
    [InlineData(255)]
    public void Decrypt_ReportsInvalidPadding_WhenPadValueOutOfRange(byte padValue)
    {
        var plain = new byte[64];
        plain[^1] = padValue;

        Assert.Equal(WxDecryptStatus.InvalidPadding, DecryptRaw(plain).Status);
    }

    [Fact]
    public void Decrypt_ReportsInvalidPadding_WhenPadBytesDiffer()
    {
        var plain = Layout("hello", OaAppId);
        plain[^2] ^= 0xFF;

        Assert.Equal(WxDecryptStatus.InvalidPadding, DecryptRaw(plain).Status);
    }

    [Theory]
    [InlineData(int.MaxValue)]
    [InlineData(-1)]
    [InlineData(100)]
    public void Decrypt_ReportsInvalidLength_WhenLengthFieldExceedsBuffer(int declaredLength)
    {
        var plain = Layout("hello", OaAppId);
        BinaryPrimitives.WriteInt32BigEndian(plain.AsSpan(16), declaredLength);

        Assert.Equal(WxDecryptStatus.InvalidLength, DecryptRaw(plain).Status);
    }

    [Fact]
    public void Decrypt_ReportsInvalidLength_WhenContentIsShorterThanHeader()
    {
        var plain = new byte[32];
        plain.AsSpan(10).Fill(22); // 10 content bytes, pad 22: no room for random + length

        Assert.Equal(WxDecryptStatus.InvalidLength, DecryptRaw(plain).Status);
    }

    [Fact]
    public void Decrypt_Succeeds_ForHandBuiltLayout()
    {
        var result = DecryptRaw(Layout("你好，党员同志", OaAppId));

        Assert.True(result.IsSuccess);
        Assert.Equal("你好，党员同志", result.Message);
    }

    [Fact]
    public void EncryptThenDecrypt_RoundTrips_WithProductionRandom()
    {
        using var crypt = new WxBizMsgCrypt("pamtest", OaKey, OaAppId);
        const string message = "<xml><Content><![CDATA[学习强国 🇨🇳]]></Content></xml>";

        var first = crypt.Encrypt(message);
        var second = crypt.Encrypt(message);

        Assert.NotEqual(first, second);
        Assert.Equal(message, crypt.Decrypt(first).Message);
        Assert.Equal(message, crypt.Decrypt(second).Message);
    }

    [Fact]
    public void Encrypt_Throws_WhenRandomIsNot16Bytes()
    {
        using var crypt = new WxBizMsgCrypt("pamtest", OaKey, OaAppId);

        Assert.Throws<ArgumentException>(() => crypt.Encrypt("x", new byte[15]));
    }

    [Fact]
    public void EncryptAndDecrypt_StayCorrect_UnderConcurrentUse()
    {
        using var crypt = new WxBizMsgCrypt("pamtest", OaKey, OaAppId);
        var failures = 0;

        Parallel.For(0, 2000, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            var message = $"<xml><Content>{i} {new string('党', i % 97)}</Content></xml>";
            if (crypt.Decrypt(crypt.Encrypt(message)).Message != message)
                Interlocked.Increment(ref failures);
        });

        Assert.Equal(0, failures);
    }

    /// <summary>random ‖ length ‖ message ‖ receive id ‖ valid 32-block pad, unencrypted.</summary>
    private static byte[] Layout(string message, string receiveId)
    {
        var msg = Encoding.UTF8.GetBytes(message);
        var rid = Encoding.UTF8.GetBytes(receiveId);
        var content = 20 + msg.Length + rid.Length;
        var pad = 32 - content % 32;
        var plain = new byte[content + pad];
        BinaryPrimitives.WriteInt32BigEndian(plain.AsSpan(16), msg.Length);
        msg.CopyTo(plain, 20);
        rid.CopyTo(plain, 20 + msg.Length);
        plain.AsSpan(content).Fill((byte)pad);
        return plain;
    }

    /// <summary>Encrypts an arbitrary buffer the way WeChat would, so decryption sees exactly that plaintext.</summary>
    private static WxDecryptResult DecryptRaw(byte[] plain)
    {
        var key = WxBizMsgCrypt.DecodeAesKey(OaKey);
        using var aes = Aes.Create();
        aes.Key = key;
        var cipher = aes.EncryptCbc(plain, key.AsSpan(0, 16), PaddingMode.None);
        using var crypt = new WxBizMsgCrypt("pamtest", OaKey, OaAppId);
        return crypt.Decrypt(Convert.ToBase64String(cipher));
    }
}
