using System.Text.Json;
using ChatBot.Channels.WeChat;
using ChatBot.Core.Messaging;
using Hangfire;

namespace ChatBot.Host.Channels.WeChat;

/// <summary>Queues late replies as <see cref="WeChatCustomerServiceJob"/> runs (Redis-backed when configured, so they survive a restart).</summary>
internal sealed class HangfireAsyncReplyQueue(IBackgroundJobClient jobs) : IWeChatAsyncReplyQueue
{
    public Task EnqueueAsync(string openId, OutboundReply reply, CancellationToken ct)
    {
        var json = JsonSerializer.Serialize(reply);
        jobs.Enqueue<WeChatCustomerServiceJob>(job => job.SendAsync(openId, json, CancellationToken.None));
        return Task.CompletedTask;
    }
}
