using ChatBot.Host.Configuration;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ChatBot.Host.Data;

/// <summary>Applies migrations at start (creating the SQLite file's folder first).</summary>
internal sealed class DatabaseInitializer(
    IChatBotDbContextFactory contexts,
    IOptions<DatabaseOptions> options,
    ILogger<DatabaseInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.ParsedProvider == DatabaseProvider.Sqlite)
            EnsureSqliteFolder(options.Value.EffectiveConnectionString);

        await using var db = contexts.CreateDbContext();
        await db.Database.MigrateAsync(cancellationToken);
        logger.LogInformation("Database ready ({Provider})", options.Value.ParsedProvider);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static void EnsureSqliteFolder(string connectionString)
    {
        var builder = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(connectionString);
        var folder = Path.GetDirectoryName(Path.GetFullPath(builder.DataSource));
        if (!string.IsNullOrEmpty(folder) && builder.DataSource != ":memory:") Directory.CreateDirectory(folder);
    }
}
