using System.Text.Json;
using System.Text.Json.Serialization;

namespace ChatBot.Channels.WeChat;

/// <summary>The custom menu (自定义菜单) as menu/create takes it, also the shape of templates/menu.json.</summary>
public sealed record WeChatMenu
{
    [JsonPropertyName("button")]
    public IReadOnlyList<WeChatMenuButton> Buttons { get; init; } = [];

    public static WeChatMenu Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return JsonSerializer.Deserialize<WeChatMenu>(json, WeChatJson.Options)
            ?? throw new JsonException("The menu file is empty.");
    }

    public static async Task<WeChatMenu> LoadAsync(string path, CancellationToken ct)
    {
        await using var stream = File.OpenRead(path);
        return await JsonSerializer.DeserializeAsync<WeChatMenu>(stream, WeChatJson.Options, ct).ConfigureAwait(false)
            ?? throw new JsonException("The menu file is empty.");
    }

    /// <summary>Every click key in the menu, top level and sub-buttons.</summary>
    public IEnumerable<string> ClickKeys() =>
        Buttons.SelectMany(b => b.SubButtons is { Count: > 0 } ? b.SubButtons : [b])
            .Where(b => b.Type == "click" && b.Key is not null)
            .Select(b => b.Key!);
}

/// <summary>A button: a leaf (type + key or url) or a group with sub-buttons.</summary>
public sealed record WeChatMenuButton
{
    [JsonPropertyName("type")] public string? Type { get; init; }
    [JsonPropertyName("name")] public string Name { get; init; } = "";
    [JsonPropertyName("key")] public string? Key { get; init; }
    [JsonPropertyName("url")] public string? Url { get; init; }
    [JsonPropertyName("sub_button")] public IReadOnlyList<WeChatMenuButton>? SubButtons { get; init; }
}
