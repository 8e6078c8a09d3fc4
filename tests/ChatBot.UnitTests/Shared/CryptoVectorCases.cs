using System.Text.Json;

namespace ChatBot.UnitTests.Shared;

/// <summary>One encrypted message from protocol-vectors.json, flattened (the worked example yields a request and a reply).</summary>
public sealed record CryptoCase(
    string Name,
    string Token,
    string EncodingAesKey,
    string ReceiveId,
    string Encrypt,
    string Plaintext,
    string? Random,
    string? Timestamp,
    string? Nonce,
    string? Signature,
    string? ReplyXml,
    int? PaddingByte);

public static class CryptoVectorCases
{
    public static IReadOnlyList<CryptoCase> All { get; } = Load();

    public static CryptoCase Get(string name) => All.Single(c => c.Name == name);

    public static TheoryData<string> Names(Func<CryptoCase, bool> filter)
    {
        var data = new TheoryData<string>();
        foreach (var c in All.Where(filter))
            data.Add(c.Name);
        return data;
    }

    private static List<CryptoCase> Load()
    {
        var cases = new List<CryptoCase>();
        foreach (var id in ProtocolVectors.Ids("msg_crypto"))
        {
            var v = ProtocolVectors.MsgCrypto(id);
            if (v.TryGetProperty("request", out var request))
            {
                cases.Add(Make(id + "/request", v, request, request.Str("encrypt"), request.Str("expected_plaintext"), request.OptStr("expected_random")));
                var reply = v.GetProperty("reply");
                cases.Add(Make(id + "/reply", v, reply, reply.Str("encrypt"), reply.Str("plaintext"), reply.OptStr("random")));
                continue;
            }
            var encrypt = v.OptStr("encrypt") ?? v.Str("echostr");
            var plaintext = v.OptStr("expected_plaintext") ?? v.OptStr("expected_echo_plaintext") ?? v.Str("plaintext");
            cases.Add(Make(id, v, v, encrypt, plaintext, v.OptStr("random")));
        }
        return cases;
    }

    private static CryptoCase Make(string name, JsonElement vector, JsonElement message, string encrypt, string plaintext, string? random) => new(
        name,
        vector.Str("token"),
        vector.Str("encoding_aes_key"),
        vector.Str("receive_id"),
        encrypt,
        plaintext,
        random,
        message.OptStr("timestamp"),
        message.OptStr("nonce"),
        message.OptStr("msg_signature") ?? message.OptStr("derived_msg_signature"),
        message.OptStr("reply_xml"),
        message.TryGetProperty("padding_byte", out var pad) ? pad.GetInt32() : null);
}
