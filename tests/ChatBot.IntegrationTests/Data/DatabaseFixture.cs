namespace ChatBot.IntegrationTests.Data;

/// <summary>
/// One migrated database per test class, created on first use inside a test (so a missing PostgreSQL server
/// skips the tests instead of failing the fixture) and dropped when the class is done.
/// </summary>
public sealed class DatabaseFixture : IAsyncLifetime
{
    private readonly SemaphoreSlim gate = new(1, 1);
    private TestDatabase? database;

    public async Task<TestDatabase> GetAsync(Func<Task<TestDatabase>> create)
    {
        await gate.WaitAsync();
        try
        {
            return database ??= await create();
        }
        finally
        {
            gate.Release();
        }
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (database is not null) await database.DisposeAsync();
        gate.Dispose();
    }
}
