using ChatBot.Core.Configuration;
using ChatBot.Host.Configuration;
using Microsoft.EntityFrameworkCore;

namespace ChatBot.Host.Data;

public static class DataRegistration
{
    /// <summary>
    /// Registers the database for the configured provider. An invalid provider registers SQLite so the host can
    /// still be built; <see cref="DatabaseOptionsValidator"/> then stops it at start with a message naming the key.
    /// </summary>
    public static WebApplicationBuilder AddChatBotData(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddValidatedOptions<DatabaseOptions, DatabaseOptionsValidator>(DatabaseOptions.SectionName);
        services.AddValidatedOptions<SchedulingOptions, SchedulingOptionsValidator>(SchedulingOptions.SectionName);
        services.AddOptions<DemoOptions>().BindConfiguration(DemoOptions.SectionName);
        services.AddSingleton(TimeProvider.System);

        var options = builder.Configuration.GetSection(DatabaseOptions.SectionName).Get<DatabaseOptions>() ?? new DatabaseOptions();
        var isPostgres = string.Equals(options.Provider, nameof(DatabaseProvider.Postgres), StringComparison.OrdinalIgnoreCase);
        if (isPostgres)
        {
            services.AddDbContextFactory<PostgresChatBotDbContext>(o => o.UseNpgsql(options.ConnectionString));
            services.AddScoped<ChatBotDbContext>(sp => sp.GetRequiredService<IDbContextFactory<PostgresChatBotDbContext>>().CreateDbContext());
            services.AddSingleton<IChatBotDbContextFactory, ChatBotDbContextFactory<PostgresChatBotDbContext>>();
        }
        else
        {
            var connectionString = string.IsNullOrWhiteSpace(options.ConnectionString)
                ? DatabaseOptions.DefaultSqliteConnectionString
                : options.ConnectionString;
            services.AddDbContextFactory<SqliteChatBotDbContext>(o => o.UseSqlite(connectionString));
            services.AddScoped<ChatBotDbContext>(sp => sp.GetRequiredService<IDbContextFactory<SqliteChatBotDbContext>>().CreateDbContext());
            services.AddSingleton<IChatBotDbContextFactory, ChatBotDbContextFactory<SqliteChatBotDbContext>>();
        }

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
