using ChatBot.Host.Data;
using ChatBot.IntegrationTests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace ChatBot.IntegrationTests.Data;

/// <summary>
/// A throwaway database with the real migrations applied: a temp SQLite file, or a uniquely named database on
/// the PostgreSQL server of <c>CHATBOT_TEST_POSTGRES</c>, dropped on dispose.
/// </summary>
public abstract class TestDatabase : IAsyncDisposable
{
    public abstract string Provider { get; }
    public abstract string ConnectionString { get; }
    public abstract ChatBotDbContext CreateContext();
    public abstract ValueTask DisposeAsync();

    public static async Task<TestDatabase> CreateSqliteAsync(bool migrate = true)
    {
        var database = new SqliteTestDatabase();
        if (migrate) await database.MigrateAsync();
        return database;
    }

    /// <summary>Skips the calling test (or fails it when services are required) if no PostgreSQL server is configured.</summary>
    public static async Task<TestDatabase> CreatePostgresAsync(bool migrate = true)
    {
        var database = await PostgresTestDatabase.CreateAsync(TestServices.RequirePostgres());
        if (migrate) await database.MigrateAsync();
        return database;
    }

    public async Task MigrateAsync()
    {
        await using var db = CreateContext();
        await db.Database.MigrateAsync();
    }
}

public sealed class SqliteTestDatabase : TestDatabase
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "chatbot-tests", Guid.NewGuid().ToString("N"));

    public SqliteTestDatabase()
    {
        Directory.CreateDirectory(folder);
        FilePath = Path.Combine(folder, "chatbot.db");
        ConnectionString = new SqliteConnectionStringBuilder { DataSource = FilePath, Pooling = false }.ToString();
    }

    public string FilePath { get; }
    public override string Provider => "Sqlite";
    public override string ConnectionString { get; }

    public override ChatBotDbContext CreateContext() =>
        new SqliteChatBotDbContext(new DbContextOptionsBuilder<SqliteChatBotDbContext>().UseSqlite(ConnectionString).Options);

    public override ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(folder, recursive: true); }
        catch (IOException) { /* best effort: a temp folder left behind does no harm */ }
        return ValueTask.CompletedTask;
    }
}

public sealed class PostgresTestDatabase : TestDatabase
{
    private readonly string serverConnectionString;
    private readonly string name;

    private PostgresTestDatabase(string serverConnectionString, string name)
    {
        this.serverConnectionString = serverConnectionString;
        this.name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(serverConnectionString) { Database = name }.ToString();
    }

    public override string Provider => "Postgres";
    public override string ConnectionString { get; }

    public static async Task<PostgresTestDatabase> CreateAsync(string serverConnectionString)
    {
        var name = "chatbot_test_" + Guid.NewGuid().ToString("N");
        await ExecuteOnServerAsync(serverConnectionString, $"CREATE DATABASE \"{name}\"");
        return new PostgresTestDatabase(serverConnectionString, name);
    }

    public override ChatBotDbContext CreateContext() =>
        new PostgresChatBotDbContext(new DbContextOptionsBuilder<PostgresChatBotDbContext>().UseNpgsql(ConnectionString).Options);

    /// <summary>Drops the database under any open connection (used to make it unreachable, and at dispose).</summary>
    public Task DropAsync()
    {
        using (var connection = new NpgsqlConnection(ConnectionString)) NpgsqlConnection.ClearPool(connection);
        return ExecuteOnServerAsync(serverConnectionString, $"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
    }

    public override async ValueTask DisposeAsync() => await DropAsync();

    private static async Task ExecuteOnServerAsync(string serverConnectionString, string sql)
    {
        var admin = new NpgsqlConnectionStringBuilder(serverConnectionString) { Database = "postgres", Pooling = false };
        await using var connection = new NpgsqlConnection(admin.ToString());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
