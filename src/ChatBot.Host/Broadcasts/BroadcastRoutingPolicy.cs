using ChatBot.Channels.WeChat;
using ChatBot.Core.Delivery;
using ChatBot.Host.Configuration;
using Microsoft.Extensions.Options;

namespace ChatBot.Host.Broadcasts;

/// <summary>
/// The router's configuration as this host has it: which message kinds have a WeChat template (<c>WeChat:Templates</c>
/// keys), quiet hours and the weekly budget (<c>Scheduling</c>), which channels are on.
/// </summary>
public sealed class BroadcastRoutingPolicy(IConfiguration configuration, IOptions<SchedulingOptions> scheduling)
{
    public TimeZoneInfo TimeZone { get; } = scheduling.Value.ResolveTimeZone();

    public RoutingPolicy Current()
    {
        var options = scheduling.Value;
        var (start, end) = options.ParseQuietHours();
        var templateKinds = configuration.GetSection("WeChat:Templates").GetChildren().Select(c => c.Key)
            .ToHashSet(StringComparer.Ordinal);
        return new RoutingPolicy(
            templateKinds,
            new QuietHours(start, end, TimeZone),
            options.MemberWeeklyBudget,
            WeChatEnabled: WeChatRegistration.IsWeChatConfigured(configuration),
            DingTalkEnabled: !string.IsNullOrWhiteSpace(configuration["DingTalk:AppSecret"]));
    }

    /// <summary>The template id configured for a kind (<c>WeChat:Templates:{kind}</c> or <c>…:{kind}:TemplateId</c>), if any.</summary>
    public string? TemplateId(string kind)
    {
        var section = configuration.GetSection("WeChat:Templates").GetSection(kind);
        return section.Value ?? section["TemplateId"];
    }
}
