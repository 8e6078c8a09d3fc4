using Microsoft.Extensions.Options;

namespace ChatBot.Host.GroupChats;

/// <summary>Runs <see cref="GroupPushProcessor.ProcessDueAsync"/> every few seconds in every instance.</summary>
internal sealed partial class GroupPushWorker(
    IServiceScopeFactory scopes,
    IOptions<GroupChatsOptions> options,
    TimeProvider time,
    ILogger<GroupPushWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.WorkerEnabled)
            return;
        var interval = TimeSpan.FromSeconds(options.Value.PollIntervalSeconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<GroupPushProcessor>().ProcessDueAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // A database or Redis outage: log and try again next round rather than stop pushing for good.
                LogPassFailed(logger, ex);
            }
            try
            {
                await Task.Delay(interval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Group push pass failed; retrying next round")]
    private static partial void LogPassFailed(ILogger logger, Exception exception);
}
