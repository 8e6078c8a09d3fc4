namespace ChatBot.IntegrationTests.Infrastructure;

/// <summary>
/// Real servers the tests use, as exported by scripts/test.sh. Without them a test skips with a visible reason,
/// unless CHATBOT_REQUIRE_SERVICES=1 (CI), where a missing service fails the test instead.
/// </summary>
public static class TestServices
{
    public const string PostgresVariable = "CHATBOT_TEST_POSTGRES";
    public const string RedisVariable = "CHATBOT_TEST_REDIS";
    public const string ChromiumVariable = "CHATBOT_TEST_CHROMIUM";
    public const string RequireVariable = "CHATBOT_REQUIRE_SERVICES";

    public static bool Required => Environment.GetEnvironmentVariable(RequireVariable) == "1";

    /// <summary>Connection string to a PostgreSQL server whose user may create databases.</summary>
    public static string RequirePostgres() => Require(PostgresVariable, "PostgreSQL");

    /// <summary>StackExchange.Redis configuration string of a disposable redis-server.</summary>
    public static string RequireRedis() => Require(RedisVariable, "Redis");

    /// <summary>Path of the Debian Chromium executable the browser tests drive (never a downloaded browser).</summary>
    public static string RequireChromium() => Require(ChromiumVariable, "Chromium");

    private static string Require(string variable, string what)
    {
        var value = Environment.GetEnvironmentVariable(variable);
        if (!string.IsNullOrWhiteSpace(value)) return value;
        var reason = $"{what} is not available: {variable} is not set (scripts/test.sh starts one and sets it).";
        if (Required) throw new InvalidOperationException(reason + $" {RequireVariable}=1, so this fails instead of skipping.");
        Skip.If(true, reason);
        return "";
    }
}
