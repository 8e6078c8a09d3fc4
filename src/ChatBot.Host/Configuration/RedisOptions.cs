namespace ChatBot.Host.Configuration;

public sealed class RedisOptions
{
    public const string SectionName = "Redis";

    /// <summary>StackExchange.Redis configuration string; empty keeps all shared state in-process (one instance only).</summary>
    public string Configuration { get; set; } = "";

    /// <summary>
    /// Put before every shared-state key. Instances of one deployment must share it; a second deployment on the same
    /// Redis, or a test, uses its own to stay apart.
    /// </summary>
    public string KeyPrefix { get; set; } = "chatbot:";

    public bool Enabled => !string.IsNullOrWhiteSpace(Configuration);
}
