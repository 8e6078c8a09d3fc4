using ChatBot.Core.Domain;
using ChatBot.Core.Features;
using ChatBot.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ChatBot.IntegrationTests.Conversation;

/// <summary>Database-enforced correctness under races, on both providers.</summary>
public abstract class ConcurrencyTests : IAsyncLifetime
{
    protected EngineHarness H = null!;

    protected abstract Task<EngineHarness> StartAsync();

    // Started inside each test so a missing server surfaces as a skip (or a failure in CI), not a fixture error.
    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (H is not null) await H.DisposeAsync();
    }

    private async Task StartOnceAsync() => H ??= await StartAsync();

    [SkippableFact]
    public async Task Register_TwoMembersRaceForLastPlace_OneRegisteredOneWaitlisted()
    {
        await StartOnceAsync();
        var activityId = H.Data.SmallActivity.Id; // capacity 2
        await Service(s => s.RegisterAsync(activityId, H.Data.Members[0].Id, Now, default));
        var racers = new[] { H.Data.Members[1].Id, H.Data.Members[2].Id };
        var results = await Task.WhenAll(racers.Select(m => Task.Run(() => Service(s => s.RegisterAsync(activityId, m, Now, default)))));

        Assert.Single(results, r => r.Outcome == RegisterOutcome.Registered);
        Assert.Single(results, r => r.Outcome == RegisterOutcome.Waitlisted);
        var seats = await H.WithDbAsync(db => db.SignUps.Where(s => s.ActivityId == activityId && s.Seat != null).CountAsync());
        Assert.Equal(2, seats);
    }

    [SkippableFact]
    public async Task Register_SameMessageRepeatedAtOnce_RegistersOnce()
    {
        await StartOnceAsync();
        var activityId = H.Data.OpenActivity.Id;
        var member = H.Data.Members[3].Id;
        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(() => Service(s => s.RegisterAsync(activityId, member, Now, default)))));
        Assert.Single(results, r => r.Outcome == RegisterOutcome.Registered);
        Assert.Equal(1, await H.WithDbAsync(db => db.SignUps.CountAsync(s => s.ActivityId == activityId && s.MemberId == member)));
    }

    [SkippableFact]
    public async Task CheckIn_RepeatedAtOnce_CreditsOnce()
    {
        await StartOnceAsync();
        var activity = H.Data.OpenActivity;
        var member = H.Data.Members[4].Id;
        var at = activity.StartsAt.AddMinutes(-5);
        await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => Task.Run(() => Service(s => s.CheckInAsync(member, "135790", at, default)))));
        var entries = await H.WithDbAsync(db => db.PointsEntries.Where(e => e.MemberId == member).ToListAsync());
        Assert.Single(entries);
        Assert.Equal(3, entries[0].Points);
    }

    [SkippableFact]
    public async Task Credit_ManyDistinctSourcesAtOnce_NeverExceedsTheDailyCap()
    {
        await StartOnceAsync();
        var member = H.Data.Members[0].Id;
        var rule = await H.WithDbAsync(db => db.PointsRules.FirstAsync(r => r.DailyCap != null && r.Points > 0 && r.Active && !r.NeedsApproval));
        var sources = Enumerable.Range(0, 8).Select(i => $"race-{i}").ToList();

        await Task.WhenAll(sources.Select(source => Task.Run(async () =>
        {
            await using var scope = H.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<IPointsService>().CreditAsync(member, rule.Code, source, Now, default);
        })));

        var credited = await H.WithDbAsync(db => db.PointsEntries.Where(e => e.MemberId == member && e.PointsRuleId == rule.Id).SumAsync(e => e.Points));
        Assert.Equal(rule.DailyCap, credited);
    }

    [SkippableFact]
    public async Task Cancel_PromotesFirstWaitlistedInSameTransaction()
    {
        await StartOnceAsync();
        var activityId = H.Data.SmallActivity.Id;
        foreach (var m in H.Data.Members.Take(4))
        {
            await Service(s => s.RegisterAsync(activityId, m.Id, Now, default));
            H.Time.Advance(TimeSpan.FromSeconds(1));
        }
        var result = await Service(s => s.CancelAsync(activityId, H.Data.Members[1].Id, Now, default));
        Assert.Equal(H.Data.Members[2].Id, result.PromotedMemberId);
        var statuses = await H.WithDbAsync(db => db.SignUps.Where(s => s.ActivityId == activityId).ToDictionaryAsync(s => s.MemberId, s => s.Status));
        Assert.Equal(SignUpStatus.Registered, statuses[H.Data.Members[2].Id]);
        Assert.Equal(SignUpStatus.Waitlisted, statuses[H.Data.Members[3].Id]);
        Assert.Equal(SignUpStatus.Cancelled, statuses[H.Data.Members[1].Id]);
    }

    private DateTime Now => H.Time.GetUtcNow().UtcDateTime;

    private async Task<T> Service<T>(Func<IActivityService, Task<T>> work)
    {
        await using var scope = H.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<IActivityService>());
    }
}

public sealed class SqliteConcurrencyTests : ConcurrencyTests
{
    protected override Task<EngineHarness> StartAsync() => EngineHarness.StartSqliteAsync();
}

public sealed class PostgresConcurrencyTests : ConcurrencyTests
{
    protected override Task<EngineHarness> StartAsync()
    {
        var server = TestServices.RequirePostgres();
        return EngineHarness.StartPostgresAsync(server);
    }
}
