using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Unicode;

namespace ChatBot.Core.Messaging;

/// <summary>
/// The one way a reply is parked for retries (dedupe store, Redis or in-process). Chinese text is kept as is
/// rather than as \uXXXX escapes and nulls are left out: parked replies live for minutes, and at load every byte of
/// them is copied by each garbage collection.
/// </summary>
public static class OutboundReplyJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static string Serialize(OutboundReply reply) => JsonSerializer.Serialize(reply, Options);

    public static OutboundReply Deserialize(ReadOnlySpan<char> json) =>
        JsonSerializer.Deserialize<OutboundReply>(json, Options) ?? OutboundReply.None;
}
