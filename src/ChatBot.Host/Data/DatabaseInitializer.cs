using ChatBot.Host.Configuration;
using ChatBot.Host.Data.Seed;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ChatBot.Host.Data;

/// <summary>
/// Applies migrations at start (creating the SQLite file's folder first), then seeds the demo data into an empty
/// database when <c>Demo:Seed</c> is on (by default only in Development), and warns when a Production database
/// holds the demo. A database that cannot be migrated stops the host: serving requests
/// against an unknown schema would fail later in harder-to-read ways.
/// </summary>
internal sealed class DatabaseInitializer(
    IChatBotDbContextFactory contexts,
    IOptions<DatabaseOptions> options,
    IOptions<DemoOptions> demo,
    DemoSeeder seeder,
    IHostEnvironment environment,
    ILogger<DatabaseInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var provider = options.Value.ParsedProvider;
        await using var db = contexts.CreateDbContext();
        try
        {
            if (provider == DatabaseProvider.Sqlite)
                EnsureSqliteFolder(db.Database.GetConnectionString() ?? "");
            await db.Database.MigrateAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogCritical(ex,
                "Could not migrate the {Provider} database; check {Key} and that the database is reachable. The host will not start",
                provider, $"{DatabaseOptions.SectionName}:ConnectionString");
            throw new InvalidOperationException(
                $"Could not migrate the {provider} database ({DatabaseOptions.SectionName}:Provider). " +
                $"Check {DatabaseOptions.SectionName}:ConnectionString and that the database is reachable: {ex.Message}", ex);
        }
        logger.LogInformation("Database ready ({Provider})", provider);

        if (demo.Value.SeedsIn(environment))
            await seeder.SeedIfEmptyAsync(db, cancellationToken);
        if (environment.IsProduction() && await DemoSeeder.HasDemoDataAsync(db, cancellationToken))
            logger.LogWarning(
                "This Production database contains the demo data (committee {Committee}, console user {UserName}); " +
                "its members, passwords and binding codes are not real. Start from an empty database with {Key}=false",
                DemoRoster.CommitteeName, DemoSeeder.AdminUserName, $"{DemoOptions.SectionName}:Seed");
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    internal static void EnsureSqliteFolder(string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        if (!SqliteConnectionStrings.IsFile(builder)) return;
        var folder = Path.GetDirectoryName(Path.GetFullPath(builder.DataSource));
        if (!string.IsNullOrEmpty(folder)) Directory.CreateDirectory(folder);
    }
}
