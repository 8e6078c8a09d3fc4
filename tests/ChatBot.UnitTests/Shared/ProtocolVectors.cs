using System.Text.Json;

namespace ChatBot.UnitTests.Shared;

/// <summary>The researched known-answer vectors (Fixtures/protocol-vectors.json), loaded once per test run.</summary>
public static class ProtocolVectors
{
    private static readonly Lazy<JsonElement> Root = new(() =>
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Fixtures", "protocol-vectors.json");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.Clone();
    });

    public static JsonElement MsgCrypto(string id) => ById("msg_crypto", id);

    public static JsonElement UrlSignature(string id) => ById("wechat_url_signature", id);

    public static IEnumerable<string> Ids(string section) =>
        Root.Value.GetProperty(section).EnumerateArray().Select(v => v.GetProperty("id").GetString()!);

    public static string WeChatIncoming(string name) => Fixture("wechat_oa_incoming_xml", name);

    public static string WeChatReply(string name) => Fixture("wechat_oa_passive_reply_xml", name);

    public static JsonElement Fixtures(string name) => Root.Value.GetProperty("fixtures").GetProperty(name);

    public static string Str(this JsonElement element, string property) => element.GetProperty(property).GetString()!;

    public static string? OptStr(this JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string Fixture(string group, string name) => Fixtures(group).GetProperty(name).GetString()!;

    private static JsonElement ById(string section, string id) =>
        Root.Value.GetProperty(section).EnumerateArray().Single(v => v.GetProperty("id").GetString() == id);
}
