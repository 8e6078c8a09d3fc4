using ChatBot.Channels.Robots;
using Microsoft.Extensions.Logging;

namespace ChatBot.Channels.DingTalk;

/// <summary>Sends to a DingTalk custom group robot (自定义机器人) webhook.</summary>
public sealed class DingTalkRobotClient(HttpClient http, ILogger<DingTalkRobotClient> logger)
{
    /// <param name="signedWebhookUrl">
    /// The webhook URL, already signed with <see cref="DingTalkSignature.SignWebhookUrl(string,string,long)"/>
    /// when the robot uses 加签. It is the robot's credential: it is never logged.
    /// </param>
    public Task<RobotSendOutcome> SendAsync(string signedWebhookUrl, DingTalkRobotMessage body, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(signedWebhookUrl);
        ArgumentNullException.ThrowIfNull(body);
        return RobotHttp.PostAsync(http, signedWebhookUrl, body, DingTalkJson.Context.DingTalkRobotMessage,
            DingTalkRobotAnswers.Map, logger, ct);
    }
}
