using ChatBot.IntegrationTests.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ChatBot.IntegrationTests.Infrastructure;

/// <summary>
/// Hosts the real <c>Program</c> in memory. By default each factory has its own temp SQLite file and no demo seed;
/// set <see cref="Settings"/> (any "Section:Key"), call <see cref="UsePostgresAsync"/> / <see cref="UseRedis"/>,
/// replace the clock with <see cref="TimeProvider"/> or services with <see cref="ConfigureServices"/> before the
/// first <c>CreateClient()</c> or <c>Services</c> access.
/// </summary>
public class ChatBotFactory : WebApplicationFactory<Program>
{
    private readonly string dataFolder = Path.Combine(Path.GetTempPath(), "chatbot-tests", Guid.NewGuid().ToString("N"));

    public ChatBotFactory()
    {
        Directory.CreateDirectory(dataFolder);
        SqliteFilePath = Path.Combine(dataFolder, "chatbot.db");
        Settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["Database:Provider"] = "Sqlite",
            ["Database:ConnectionString"] = $"Data Source={SqliteFilePath}",
            ["Redis:Configuration"] = "",
            ["Demo:Seed"] = "false",
        };
    }

    /// <summary>Configuration overrides, applied as host settings so they win over appsettings.json and environment variables.</summary>
    public IDictionary<string, string?> Settings { get; }

    /// <summary>The SQLite file of this factory (unless the settings point elsewhere).</summary>
    public string SqliteFilePath { get; }

    /// <summary>The PostgreSQL database created by <see cref="UsePostgresAsync"/>, dropped on dispose.</summary>
    public PostgresTestDatabase? PostgresDatabase { get; private set; }

    /// <summary>Replaces the host's <see cref="System.TimeProvider"/> (e.g. with a FakeTimeProvider).</summary>
    public TimeProvider? TimeProvider { get; set; }

    /// <summary>Runs after the host's own registrations, to replace services with fakes.</summary>
    public Action<IServiceCollection>? ConfigureServices { get; set; }

    public ChatBotFactory WithSetting(string key, string? value)
    {
        Settings[key] = value;
        return this;
    }

    /// <summary>Points the host at a new, uniquely named database on <c>CHATBOT_TEST_POSTGRES</c> (skips the test if unset).</summary>
    public async Task<ChatBotFactory> UsePostgresAsync()
    {
        PostgresDatabase = await PostgresTestDatabase.CreateAsync(TestServices.RequirePostgres());
        Settings["Database:Provider"] = "Postgres";
        Settings["Database:ConnectionString"] = PostgresDatabase.ConnectionString;
        return this;
    }

    /// <summary>Uses the Redis server of <c>CHATBOT_TEST_REDIS</c> (skips the test if unset).</summary>
    public ChatBotFactory UseRedis()
    {
        Settings["Redis:Configuration"] = TestServices.RequireRedis();
        return this;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in Settings) builder.UseSetting(key, value ?? "");
        builder.ConfigureTestServices(services =>
        {
            if (TimeProvider is not null) services.Replace(ServiceDescriptor.Singleton(TimeProvider));
            ConfigureServices?.Invoke(services);
        });
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(dataFolder, recursive: true); }
        catch (IOException) { /* best effort: a temp folder left behind does no harm */ }
        if (PostgresDatabase is not null) await PostgresDatabase.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}
