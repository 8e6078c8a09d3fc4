namespace ChatBot.Channels.WeChat;

/// <summary>
/// Told about every 客服消息 WeChat accepted, so the host can count it against the member's window
/// (see <see cref="CustomerServiceWindow"/>).
/// </summary>
public interface ICustomerServiceSendRecorder
{
    Task RecordSentAsync(string openId, CancellationToken ct);
}

internal sealed class NoCustomerServiceSendRecorder : ICustomerServiceSendRecorder
{
    public Task RecordSentAsync(string openId, CancellationToken ct) => Task.CompletedTask;
}
