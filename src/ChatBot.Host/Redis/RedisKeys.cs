namespace ChatBot.Host.Redis;

/// <summary>
/// Key layout of the shared state. The rate limiter's two keys put the caller's key in a hash tag (<c>{…}</c>)
/// so both land in the same Redis Cluster slot, which one Lua script touching both requires.
/// </summary>
internal sealed class RedisKeys(string prefix)
{
    public string Prefix { get; } = prefix;

    public string DedupeClaim(string key) => $"{Prefix}dedupe:{key}";

    public string DedupeResult(string key) => $"{Prefix}dedupe-result:{key}";

    public string DedupeOwner(string key) => $"{Prefix}dedupe-owner:{key}";

    public string Attempts(string key) => $"{Prefix}attempts:{key}";

    public string Session(string key) => $"{Prefix}session:{key}";

    public string RateWindow(string key) => $"{Prefix}rl:{{{key}}}";

    public string RatePause(string key) => $"{Prefix}rl:{{{key}}}:pause";

    public string Lock(string key) => $"{Prefix}lock:{key}";
}
