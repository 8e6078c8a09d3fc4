using ChatBot.Core.Ports;

namespace ChatBot.Core.Conversation;

/// <param name="Allowed">False during the cool-down: the attempt must not be tried.</param>
/// <param name="Remaining">Attempts the sender has left in the window after this one.</param>
public readonly record struct GuessPermit(bool Allowed, int Remaining);

/// <summary>
/// Limits guessing of secrets sent in chat (binding codes, name + phone pairs, check-in codes). Every attempt is
/// counted atomically in the shared store before it is tried — per sender, and per target (the name being guessed)
/// when there is one — so neither a burst of parallel tries, nor many tries from one account, nor a few tries each
/// from many accounts get past the limit. A count only goes up: nothing but a successful bind or the end of the
/// window (an hour from the first attempt) brings it back to zero.
/// </summary>
public sealed class GuessLimiter(IAttemptCounter attempts)
{
    public const int MaxAttemptsPerSender = 5;
    /// <summary>Higher than per sender: a real member mistyping from two devices must not lock their own name out.</summary>
    public const int MaxAttemptsPerTarget = 10;
    public static readonly TimeSpan Window = TimeSpan.FromHours(1);

    public static int WindowMinutes => (int)Window.TotalMinutes;

    public async Task<GuessPermit> TryAttemptAsync(string senderKey, string? targetKey, CancellationToken ct)
    {
        var targetCount = targetKey is null ? 0 : await attempts.IncrementAsync("guess:target:" + targetKey, Window, ct);
        var senderCount = await attempts.IncrementAsync(SenderKey(senderKey), Window, ct);
        var allowed = senderCount <= MaxAttemptsPerSender && targetCount <= MaxAttemptsPerTarget;
        return new GuessPermit(allowed, (int)Math.Max(0, MaxAttemptsPerSender - senderCount));
    }

    /// <summary>After a successful bind the sender starts afresh (the name's count stays: it guards the member).</summary>
    public Task ResetSenderAsync(string senderKey, CancellationToken ct) => attempts.ResetAsync(SenderKey(senderKey), ct);

    private static string SenderKey(string key) => "guess:sender:" + key;
}
