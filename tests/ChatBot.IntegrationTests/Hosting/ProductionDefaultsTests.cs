using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using ChatBot.Host.Data;
using ChatBot.Host.Data.Seed;
using ChatBot.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace ChatBot.IntegrationTests.Hosting;

/// <summary>
/// What a production start looks like from outside: unhandled errors answer problem details without exception
/// text, the demo is not seeded unless asked for, a Production database holding the demo is warned about, and the
/// demo's generated passwords and binding codes reach the console but never the logging pipeline.
/// </summary>
public sealed class ProductionDefaultsTests
{
    private const string SecretInException = "Password=hunter2-connection-secret";

    [Fact]
    public async Task UnhandledError_Answers500ProblemDetailsWithTraceIdAndNoExceptionText_InProduction()
    {
        await using var factory = new ChatBotFactory().WithSetting("environment", "Production");
        factory.ConfigureServices = services =>
        {
            services.RemoveAll<ChatBotDbContext>();
            services.AddScoped<ChatBotDbContext>(_ => throw new InvalidOperationException("cannot open database: " + SecretInException));
        };

        using var response = await factory.CreateClient().GetAsync("/m/policies/1");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        using var problem = JsonDocument.Parse(text);
        Assert.Equal(500, problem.RootElement.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.RootElement.GetProperty("traceId").GetString()));
        Assert.DoesNotContain("hunter2", text, StringComparison.Ordinal);
        Assert.DoesNotContain("InvalidOperationException", text, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_SeedsNothing_WhenDemoSeedIsUnsetInProduction()
    {
        await using var factory = new ChatBotFactory().WithSetting("environment", "Production");
        factory.Settings.Remove("Demo:Seed");

        _ = factory.CreateClient();

        await using var db = factory.Services.GetRequiredService<IChatBotDbContextFactory>().CreateDbContext();
        Assert.False(await db.Organisations.AnyAsync());
        Assert.False(await db.AdminUsers.AnyAsync());
        Assert.False(await db.BindingCodes.AnyAsync());
    }

    [Fact]
    public async Task Start_SeedsDemo_WhenDemoSeedIsUnsetInDevelopment()
    {
        await using var factory = new ChatBotFactory().WithSetting("environment", "Development");
        factory.Settings.Remove("Demo:Seed");

        _ = factory.CreateClient();

        await using var db = factory.Services.GetRequiredService<IChatBotDbContextFactory>().CreateDbContext();
        Assert.True(await db.Organisations.AnyAsync(o => o.Name == DemoRoster.CommitteeName));
    }

    [Fact]
    public async Task Start_PrintsSecretsToConsoleOnlyAndWarnsAboutDemoData_WhenSeedIsForcedInProduction()
    {
        var logs = new CapturingLoggerProvider();
        var console = new StringWriter();
        await using var factory = new ChatBotFactory().WithSetting("environment", "Production").WithSetting("Demo:Seed", "true");
        factory.ConfigureServices = services =>
        {
            services.AddSingleton<ILoggerProvider>(logs);
            services.RemoveAll<DemoSecretsConsole>();
            services.AddSingleton(new DemoSecretsConsole(console));
        };

        _ = factory.CreateClient();

        await using var db = factory.Services.GetRequiredService<IChatBotDbContextFactory>().CreateDbContext();
        var codes = await db.BindingCodes.Select(c => c.Code).ToListAsync();
        Assert.NotEmpty(codes);
        var printed = console.ToString();
        Assert.All(codes, code => Assert.Contains(code, printed, StringComparison.Ordinal));
        var logged = string.Join("\n", logs.Messages);
        Assert.DoesNotContain("generated password", logged, StringComparison.Ordinal);
        Assert.All(codes, code => Assert.DoesNotContain(code, logged, StringComparison.Ordinal));
        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("contains the demo data", StringComparison.Ordinal));
    }

    private sealed class CapturingLoggerProvider : ILoggerProvider
    {
        private readonly ConcurrentQueue<(LogLevel Level, string Message)> _entries = new();

        public IReadOnlyList<(LogLevel Level, string Message)> Entries => [.. _entries];

        public IEnumerable<string> Messages => _entries.Select(e => e.Message);

        public ILogger CreateLogger(string categoryName) => new Logger(this);

        public void Dispose()
        {
        }

        private sealed class Logger(CapturingLoggerProvider owner) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                owner._entries.Enqueue((logLevel, formatter(state, exception) + (exception is null ? "" : " " + exception)));
        }
    }
}
