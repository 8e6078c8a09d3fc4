using System.ComponentModel.DataAnnotations;

namespace ChatBot.Host.GroupChats;

public sealed class GroupChatsOptions
{
    public const string SectionName = "GroupChats";

    /// <summary>Data Protection key ring when Redis is not configured; relative paths are under the content root.</summary>
    [Required]
    public string KeysDirectory { get; set; } = "data/keys";
}
