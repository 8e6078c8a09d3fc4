using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using ChatBot.Core.Domain;
using ChatBot.Host.Data;
using ChatBot.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ChatBot.IntegrationTests.Hosting;

/// <summary>The host starts with the documented settings, refuses bad ones by key, and reports readiness honestly.</summary>
public sealed class HostBootTests
{
    [Fact]
    public async Task Host_ServesHealthAndReadiness_WithExampleSettings()
    {
        await using var factory = new ChatBotFactory();
        // Everything from the shipped example except the SQLite location, which each test keeps in its own temp folder.
        foreach (var (key, value) in ExampleSettings().Where(s => s.Key != "Database:ConnectionString"))
            factory.Settings[key] = value;
        var client = factory.CreateClient();

        var health = await client.GetAsync("/healthz");
        var ready = await client.GetAsync("/readyz");

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("application/json", health.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Healthy", (await ReadJsonAsync(health)).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("application/json", ready.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Healthy", (await ReadJsonAsync(ready)).GetProperty("checks").GetProperty("database").GetProperty("status").GetString());
        // The example is a production template: the initializer migrated the factory's own file and seeded nothing.
        Assert.True(File.Exists(factory.SqliteFilePath));
        await using var db = factory.Services.GetRequiredService<IChatBotDbContextFactory>().CreateDbContext();
        Assert.False(await db.Organisations.AnyAsync());
    }

    [Fact]
    public void Start_FailsNamingDatabaseProvider_WhenProviderIsUnknown()
    {
        using var factory = new ChatBotFactory().WithSetting("Database:Provider", "Oracle");

        var error = Record.Exception(() => factory.CreateClient());

        Assert.Contains("Database:Provider", AllMessages(error));
    }

    [Fact]
    public void Start_FailsNamingConnectionString_WhenPostgresHasNone()
    {
        using var factory = new ChatBotFactory()
            .WithSetting("Database:Provider", "Postgres")
            .WithSetting("Database:ConnectionString", "");

        var error = Record.Exception(() => factory.CreateClient());

        Assert.Contains("Database:ConnectionString", AllMessages(error));
    }

    [Fact]
    public void Start_FailsNamingTimeZone_WhenTimeZoneIsUnknown()
    {
        using var factory = new ChatBotFactory().WithSetting("Scheduling:TimeZone", "Mars/Olympus_Mons");

        var error = Record.Exception(() => factory.CreateClient());

        Assert.Contains("Scheduling:TimeZone", AllMessages(error));
    }

    [Fact]
    public void Start_FailsWithMigrationMessage_WhenDatabaseIsUnreachable()
    {
        using var factory = new ChatBotFactory()
            .WithSetting("Database:Provider", "Postgres")
            .WithSetting("Database:ConnectionString", $"Host=127.0.0.1;Port={ClosedPort()};Username=chatbot;Password=unused;Timeout=5");

        var error = Record.Exception(() => factory.CreateClient());

        var messages = AllMessages(error);
        Assert.Contains("Could not migrate the Postgres database", messages);
        Assert.Contains("Database:ConnectionString", messages);
        Assert.DoesNotContain("unused", messages);
    }

    [Fact]
    public async Task Readyz_Returns503_WhenSqliteDatabaseFileDisappearsAfterStart()
    {
        await using var factory = new ChatBotFactory();
        var client = factory.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/readyz")).StatusCode);

        foreach (var file in Directory.GetFiles(Path.GetDirectoryName(factory.SqliteFilePath)!)) File.Delete(file);
        var ready = await client.GetAsync("/readyz");
        var health = await client.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal("Unhealthy", (await ReadJsonAsync(ready)).GetProperty("checks").GetProperty("database").GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [SkippableFact]
    public async Task Readyz_Returns503_WhenPostgresDatabaseIsDroppedAfterStart()
    {
        await using var factory = new ChatBotFactory();
        await factory.UsePostgresAsync();
        var client = factory.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/readyz")).StatusCode);

        await factory.PostgresDatabase!.DropAsync();
        var ready = await client.GetAsync("/readyz");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal("Unhealthy", (await ReadJsonAsync(ready)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Host_UsesReplacedTimeProvider_ForTheDemoSeed()
    {
        var now = new DateTimeOffset(2030, 1, 7, 2, 0, 0, TimeSpan.Zero);
        await using var factory = new ChatBotFactory { TimeProvider = new FakeTimeProvider(now) };
        factory.Settings["Demo:Seed"] = "true";
        _ = factory.CreateClient();

        await using var db = factory.Services.GetRequiredService<IChatBotDbContextFactory>().CreateDbContext();
        var activities = await db.Activities.ToListAsync();

        Assert.NotEmpty(activities);
        Assert.All(activities, a => Assert.InRange(a.StartsAt, now.UtcDateTime, now.UtcDateTime.AddDays(31)));
        Assert.All(await db.Organisations.ToListAsync(), o => Assert.Equal(now.UtcDateTime, o.CreatedAt));
        Assert.Contains(activities, a => a.Kind == ActivityKind.ThemeDay);
    }

    private static IEnumerable<KeyValuePair<string, string?>> ExampleSettings()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "ChatBot.sln"))) folder = folder.Parent;
        Assert.NotNull(folder);
        var configuration = new ConfigurationBuilder().AddJsonFile(Path.Combine(folder.FullName, "appsettings.example.json")).Build();
        return configuration.AsEnumerable().Where(s => s.Value is not null).ToList();
    }

    private static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    private static string AllMessages(Exception? error)
    {
        Assert.NotNull(error);
        var messages = new List<string>();
        var pending = new Stack<Exception>([error]);
        while (pending.TryPop(out var current))
        {
            messages.Add(current.Message);
            if (current is AggregateException aggregate) foreach (var inner in aggregate.InnerExceptions) pending.Push(inner);
            else if (current.InnerException is not null) pending.Push(current.InnerException);
        }
        return string.Join(Environment.NewLine, messages);
    }

    /// <summary>A local port nothing listens on: bound once to get a free number, then released.</summary>
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
