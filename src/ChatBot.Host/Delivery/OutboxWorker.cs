using ChatBot.Host.GroupChats;
using Microsoft.Extensions.Options;

namespace ChatBot.Host.Delivery;

/// <summary>
/// The one sender loop, in every instance: a sweep at start and every <see cref="DeliveryOptions.SweepIntervalSeconds"/>,
/// then passes over member/reply rows (<see cref="OutboxSender"/>) and group-chat robots
/// (<see cref="GroupPushProcessor"/>) while anything is due, sleeping <see cref="DeliveryOptions.PollIntervalSeconds"/>
/// otherwise — or less, when <see cref="IOutbox.EnqueueAsync"/> wakes it.
/// A loop rather than a Hangfire job per row: the rows already are the durable queue (claims make a second
/// instance harmless), Hangfire's in-memory storage of the embedded default would lose jobs on a crash, and a loop
/// reads due rows in batches and keeps the order per recipient, which per-row jobs would not.
/// </summary>
internal sealed partial class OutboxWorker(
    IServiceScopeFactory scopes,
    OutboxSignal signal,
    IOptions<DeliveryOptions> options,
    TimeProvider time,
    ILogger<OutboxWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.WorkerEnabled)
            return;
        var poll = TimeSpan.FromSeconds(settings.PollIntervalSeconds);
        var sweepEvery = TimeSpan.FromSeconds(settings.SweepIntervalSeconds);
        DateTimeOffset? lastSweep = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            var busy = false;
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                if (lastSweep is null || time.GetUtcNow() - lastSweep >= sweepEvery)
                {
                    lastSweep = time.GetUtcNow();
                    await scope.ServiceProvider.GetRequiredService<OutboxSender>().SweepAsync(stoppingToken);
                }
                var settled = await scope.ServiceProvider.GetRequiredService<OutboxSender>().ProcessDueAsync(stoppingToken);
                var robots = await scope.ServiceProvider.GetRequiredService<GroupPushProcessor>().ProcessDueAsync(stoppingToken);
                busy = settled > 0 || robots.MessagesPosted > 0;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // A database outage: log and try again next round rather than stop sending for good.
                LogPassFailed(logger, ex);
            }
            if (busy)
                continue;
            try
            {
                using var timeout = new CancellationTokenSource(poll, time);
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, timeout.Token);
                await signal.WaitAsync(linked.Token);
            }
            catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
            {
                // the poll interval passed
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Delivery pass failed; retrying next round")]
    private static partial void LogPassFailed(ILogger logger, Exception exception);
}
