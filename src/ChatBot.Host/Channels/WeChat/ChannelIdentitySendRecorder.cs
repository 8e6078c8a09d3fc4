using ChatBot.Channels.WeChat;
using ChatBot.Core.Domain;
using ChatBot.Host.Data;
using Microsoft.EntityFrameworkCore;

namespace ChatBot.Host.Channels.WeChat;

/// <summary>
/// Counts each accepted 客服消息 on the member's WeChat <see cref="ChannelIdentity"/> (by OpenID), so the push
/// router can tell how many of the window's 5 messages remain. One atomic UPDATE; safe with several instances.
/// </summary>
internal sealed class ChannelIdentitySendRecorder(IChatBotDbContextFactory contexts) : ICustomerServiceSendRecorder
{
    public async Task RecordSentAsync(string openId, CancellationToken ct)
    {
        await using var db = contexts.CreateDbContext();
        await db.ChannelIdentities
            .Where(c => c.Channel == Channel.WeChat && c.ExternalId == openId)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.CustomerServiceSendsInWindow, c => c.CustomerServiceSendsInWindow + 1), ct);
    }
}
