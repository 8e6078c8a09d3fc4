using ChatBot.Core.Configuration;
using ChatBot.Host.Configuration;
using ChatBot.Host.Data.Seed;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ChatBot.Host.Data;

public static class DataRegistration
{
    /// <summary>
    /// Registers the database. The provider and connection string are read from options when first resolved, not
    /// while the builder runs, so every configuration source (including test hosts) applies; an invalid
    /// provider is stopped at start by <see cref="DatabaseOptionsValidator"/> with a message naming the key.
    /// </summary>
    public static WebApplicationBuilder AddChatBotData(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddValidatedOptions<DatabaseOptions, DatabaseOptionsValidator>(DatabaseOptions.SectionName);
        services.AddValidatedOptions<SchedulingOptions, SchedulingOptionsValidator>(SchedulingOptions.SectionName);
        services.AddOptions<DemoOptions>().BindConfiguration(DemoOptions.SectionName);
        services.TryAddSingleton(TimeProvider.System);

        services.AddDbContextFactory<SqliteChatBotDbContext>((sp, o) =>
        {
            var database = sp.GetRequiredService<IOptions<DatabaseOptions>>().Value;
            o.UseSqlite(SqliteConnectionStrings.ResolveAgainst(database.EffectiveConnectionString, Directory.GetCurrentDirectory()))
                .AddInterceptors(new SqlitePragmas(database.SqliteSynchronous.ToUpperInvariant()));
        });
        services.AddDbContextFactory<PostgresChatBotDbContext>((sp, o) => o.UseNpgsql(
            sp.GetRequiredService<IOptions<DatabaseOptions>>().Value.ConnectionString));

        services.AddSingleton<IChatBotDbContextFactory>(sp =>
            sp.GetRequiredService<IOptions<DatabaseOptions>>().Value.ParsedProvider == DatabaseProvider.Postgres
                ? new ChatBotDbContextFactory<PostgresChatBotDbContext>(sp.GetRequiredService<IDbContextFactory<PostgresChatBotDbContext>>())
                : new ChatBotDbContextFactory<SqliteChatBotDbContext>(sp.GetRequiredService<IDbContextFactory<SqliteChatBotDbContext>>()));
        services.AddScoped<ChatBotDbContext>(sp => sp.GetRequiredService<IChatBotDbContextFactory>().CreateDbContext());

        services.TryAddSingleton(new DemoSecretsConsole(Console.Out));
        services.AddSingleton<DemoSeeder>();
        services.AddSingleton<DemoLogins>();
        services.AddHostedService<DatabaseInitializer>();
        return builder;
    }
}

/// <summary>Provider-neutral factory for code that needs a short-lived context of its own (jobs, concurrent work).</summary>
public interface IChatBotDbContextFactory
{
    ChatBotDbContext CreateDbContext();
}

internal sealed class ChatBotDbContextFactory<TContext>(IDbContextFactory<TContext> inner) : IChatBotDbContextFactory
    where TContext : ChatBotDbContext
{
    public ChatBotDbContext CreateDbContext() => inner.CreateDbContext();
}

internal static class SqliteConnectionStrings
{
    /// <summary>
    /// A relative SQLite file ("data/chatbot.db") is made absolute once, against the working directory the host
    /// started in (the caller's directory for <c>dotnet run</c>, see the project file), so every context, the
    /// folder creation and the logs agree on one file.
    /// </summary>
    public static string ResolveAgainst(string connectionString, string contentRoot)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        if (IsFile(builder) && !Path.IsPathRooted(builder.DataSource))
            builder.DataSource = Path.GetFullPath(Path.Combine(contentRoot, builder.DataSource));
        return builder.ToString();
    }

    public static bool IsFile(SqliteConnectionStringBuilder builder) =>
        builder.Mode != SqliteOpenMode.Memory
        && !string.IsNullOrEmpty(builder.DataSource)
        && builder.DataSource != ":memory:"
        && !builder.DataSource.StartsWith("file:", StringComparison.OrdinalIgnoreCase);
}
