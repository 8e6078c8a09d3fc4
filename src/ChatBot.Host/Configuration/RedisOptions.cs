namespace ChatBot.Host.Configuration;

public sealed class RedisOptions
{
    public const string SectionName = "Redis";

    /// <summary>StackExchange.Redis configuration string; empty keeps all shared state in-process (one instance only).</summary>
    public string Configuration { get; set; } = "";

    public bool Enabled => !string.IsNullOrWhiteSpace(Configuration);
}
