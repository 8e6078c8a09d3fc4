using ChatBot.Channels.DingTalk;
using ChatBot.Channels.Robots;
using ChatBot.Channels.WeCom;
using ChatBot.Core.Domain;

namespace ChatBot.Host.GroupChats;

/// <summary>Posts one rendered push to a chat's robot, signing DingTalk webhooks (加签) right before the send.</summary>
public sealed class GroupRobotSender(DingTalkRobotClient dingTalk, WeComRobotClient weCom, RobotWebhookPolicy webhooks, TimeProvider time)
{
    public Task<RobotSendOutcome> SendAsync(Channel channel, GroupRobotCredentials credentials, GroupPush push, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        ArgumentNullException.ThrowIfNull(push);
        // Checked again at send time: a row saved before the rule (or a tampered row) must not reach another host.
        if (!webhooks.IsAllowed(channel, credentials.WebhookUrl))
            return Task.FromResult(RobotSendOutcome.Permanent(RobotFailure.UntrustedUrl, null, RobotWebhookPolicy.Explain(channel)));
        switch (channel)
        {
            case Channel.DingTalk:
                // DingTalk refuses a timestamp more than an hour old, so the URL is signed per send, never stored signed.
                var url = credentials.Secret is null
                    ? credentials.WebhookUrl
                    : DingTalkSignature.SignWebhookUrl(credentials.WebhookUrl, credentials.Secret, time);
                return dingTalk.SendAsync(url, GroupRobotRenderer.ForDingTalk(push), ct);
            case Channel.WeCom:
                return weCom.SendAsync(credentials.WebhookUrl, GroupRobotRenderer.ForWeCom(push), ct);
            default:
                throw new ArgumentOutOfRangeException(nameof(channel), channel, "group chats use DingTalk or WeCom robots");
        }
    }
}
