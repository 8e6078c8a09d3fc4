using ChatBot.Core.Delivery;
using ChatBot.Core.Domain;
using ChatBot.Host.Schedules;
using ChatBot.IntegrationTests.Broadcasts;
using Microsoft.EntityFrameworkCore;

namespace ChatBot.IntegrationTests.Schedules;

using Delivery = ChatBot.Core.Domain.Delivery;

/// <summary>Schedule helpers on top of <see cref="BroadcastHarness"/> (same seed, pinned Monday 10:00 Shanghai).</summary>
internal static class ScheduleHarness
{
    public static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    public static Task<BroadcastHarness> StartAsync(IDictionary<string, string?>? settings = null, Infrastructure.ChatBotFactory? factory = null,
        bool postgres = false, bool seed = true, bool registerJobs = false)
    {
        var all = new Dictionary<string, string?>
        {
            ["Schedules:RegisterJobs"] = registerJobs ? "true" : "false",
            ["Schedules:RecoverMissedSlots"] = "false",
        };
        foreach (var (k, v) in settings ?? new Dictionary<string, string?>()) all[k] = v;
        return BroadcastHarness.StartAsync(all, factory, postgres: postgres, seed: seed);
    }

    public static async Task<int> ScheduleIdAsync(this BroadcastHarness h, ScheduleKind kind) =>
        await h.QueryAsync(db => db.RecurringSchedules.Where(s => s.Kind == kind && s.OrganisationId == null).Select(s => s.Id).SingleAsync());

    public static async Task<ScheduleRun> RunAsync(this BroadcastHarness h, ScheduleKind kind, DateTime? slot = null)
    {
        var id = await h.ScheduleIdAsync(kind);
        var result = await h.Get<ScheduleRunner>().RunSlotAsync(id, slot ?? h.Now, "test", CancellationToken.None, evenIfDisabled: true);
        Assert.Equal(SlotOutcome.Ran, result.Outcome);
        Assert.True(result.Run!.Status == ScheduleRunStatus.Completed, result.Run.Error);
        return result.Run;
    }

    /// <summary>A local wall-clock time in Shanghai as UTC.</summary>
    public static DateTime Utc(DateTime local) => TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), Shanghai);

    public static DateTime LocalOf(DateTime utc) => TimeZoneInfo.ConvertTimeFromUtc(utc, Shanghai);

    public static async Task<List<Delivery>> RowsAsync(this BroadcastHarness h, Func<IQueryable<Delivery>, IQueryable<Delivery>>? filter = null) =>
        await h.QueryAsync(db => (filter ?? (q => q))(db.Deliveries.AsNoTracking()).OrderBy(d => d.Id).ToListAsync());

    public static MemberMessage Message(this Delivery d) => MemberMessage.FromJson(d.Payload);
}
