using System.ComponentModel.DataAnnotations;

namespace ChatBot.Host.Features;

public sealed class MemberPagesOptions
{
    public const string SectionName = "MemberPages";

    /// <summary>Public address members' phones reach this server at; links in chat start with it.</summary>
    [Required, Url]
    public string PublicBaseUrl { get; set; } = "http://localhost:5080";

    /// <summary>How long a signed lesson link stays valid.</summary>
    [Range(1, 90)]
    public int LinkLifetimeDays { get; set; } = 7;
}
