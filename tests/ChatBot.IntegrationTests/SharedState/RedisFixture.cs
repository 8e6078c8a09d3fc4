using ChatBot.IntegrationTests.Infrastructure;
using StackExchange.Redis;

namespace ChatBot.IntegrationTests.SharedState;

/// <summary>
/// Two independent connections to the test Redis, standing in for two hosts. Connected on first use, after the
/// test asked <see cref="TestServices.RequireRedis"/>, so a missing server skips (or fails) the test, not the class.
/// </summary>
public sealed class RedisFixture : IAsyncLifetime
{
    private readonly Lazy<Task<(ConnectionMultiplexer A, ConnectionMultiplexer B)>> _hosts = new(ConnectBothAsync);

    public async Task<(IConnectionMultiplexer HostA, IConnectionMultiplexer HostB)> ConnectAsync()
    {
        var (a, b) = await _hosts.Value;
        return (a, b);
    }

    private static async Task<(ConnectionMultiplexer, ConnectionMultiplexer)> ConnectBothAsync()
    {
        var configuration = TestServices.RequireRedis();
        return (await ConnectionMultiplexer.ConnectAsync(configuration), await ConnectionMultiplexer.ConnectAsync(configuration));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (!_hosts.IsValueCreated) return;
        try
        {
            var (a, b) = await _hosts.Value;
            await a.DisposeAsync();
            await b.DisposeAsync();
        }
        catch (Exception)
        {
            // Connecting failed (or skipped); the test already reported that.
        }
    }
}
