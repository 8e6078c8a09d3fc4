using System.ComponentModel.DataAnnotations;

namespace ChatBot.Host.GroupChats;

public sealed class GroupChatsOptions
{
    public const string SectionName = "GroupChats";

    /// <summary>Data Protection key ring when Redis is not configured; relative paths are under the content root.</summary>
    [Required]
    public string KeysDirectory { get; set; } = "data/keys";

    /// <summary>
    /// Robot endpoints accepted besides DingTalk's and WeCom's own (a private relay, the fakes in tests), each an
    /// exact base such as <c>https://relay.example/robot/send</c>; the only way to allow plain http.
    /// </summary>
    public List<string> AllowedWebhookBaseUrls { get; set; } = [];
}
