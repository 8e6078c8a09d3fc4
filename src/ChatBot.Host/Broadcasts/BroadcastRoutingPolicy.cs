using ChatBot.Channels.WeChat;
using ChatBot.Core.Delivery;
using ChatBot.Host.Configuration;
using Microsoft.Extensions.Options;

namespace ChatBot.Host.Broadcasts;

/// <summary>
/// The router's configuration as this host has it: which message kinds have a WeChat template (<c>WeChat:Templates</c>
/// keys), quiet hours and the weekly budget (<c>Scheduling</c>), which channels are on.
/// </summary>
public sealed class BroadcastRoutingPolicy(
    IConfiguration configuration,
    IOptions<SchedulingOptions> scheduling,
    IOptionsMonitor<Dictionary<string, Delivery.WeChatTemplateSettings>> templates)
{
    public TimeZoneInfo TimeZone { get; } = scheduling.Value.ResolveTimeZone();

    public RoutingPolicy Current()
    {
        var options = scheduling.Value;
        var (start, end) = options.ParseQuietHours();
        // The same rule as the sender's: a kind has a template when it names a TemplateId.
        var templateKinds = templates.CurrentValue.Where(t => !string.IsNullOrWhiteSpace(t.Value.TemplateId)).Select(t => t.Key)
            .ToHashSet(StringComparer.Ordinal);
        return new RoutingPolicy(
            templateKinds,
            new QuietHours(start, end, TimeZone),
            options.MemberWeeklyBudget,
            WeChatEnabled: WeChatRegistration.IsWeChatConfigured(configuration),
            DingTalkEnabled: !string.IsNullOrWhiteSpace(configuration["DingTalk:AppSecret"]));
    }

    /// <summary>The template configured for a kind (<c>WeChat:Templates:{kind}</c>), if any.</summary>
    public Delivery.WeChatTemplateSettings? Template(string kind) =>
        templates.CurrentValue.TryGetValue(kind, out var t) && !string.IsNullOrWhiteSpace(t.TemplateId) ? t : null;
}
