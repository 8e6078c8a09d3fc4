using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ChatBot.Core.Domain;
using ChatBot.Host.Schedules;
using ChatBot.IntegrationTests.Api;
using ChatBot.IntegrationTests.Infrastructure;
using Hangfire;
using Hangfire.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ChatBot.IntegrationTests.Schedules;

/// <summary>A task for a kind this branch does not implement (cadence), held until the test releases it.</summary>
public sealed class HeldCadenceTask(HeldCadenceTask.Gate gate) : IScheduledTask
{
    public sealed class Gate
    {
        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public int Runs;
    }

    public ScheduleKind Kind => ScheduleKind.CadenceAlerts;

    public async Task<ScheduleRunReport> RunAsync(ScheduleRunContext context, CancellationToken ct)
    {
        Interlocked.Increment(ref gate.Runs);
        gate.Started.TrySetResult();
        await gate.Release.Task.WaitAsync(ct);
        return new ScheduleRunReport { Considered = context.OrganisationIds.Count, Note = "held" };
    }
}

public sealed class ScheduleRunnerTests
{
    private static ChatBotFactory WithHeldCadence(HeldCadenceTask.Gate gate) => new()
    {
        ConfigureServices = s =>
        {
            s.AddSingleton(gate);
            s.AddScheduledTask<HeldCadenceTask>();
        },
    };

    private static List<RecurringJobDto> Jobs(Broadcasts.BroadcastHarness h)
    {
        using var connection = h.Get<JobStorage>().GetConnection();
        return connection.GetRecurringJobs();
    }

    [Fact]
    public async Task Start_SeedsDefaults_RegistersJobs_ChangesReRegister_DisabledRemoved()
    {
        await using var h = await ScheduleHarness.StartAsync(registerJobs: true);
        var schedules = await h.QueryAsync(db => db.RecurringSchedules.AsNoTracking().ToListAsync());
        Assert.Equal(Enum.GetValues<ScheduleKind>().Order(), schedules.Select(s => s.Kind).Order());
        var digest = schedules.Single(s => s.Kind == ScheduleKind.PolicyDigest);
        Assert.Equal("0 9 * * 1", digest.Cron);
        Assert.Equal("0 19 * * *", schedules.Single(s => s.Kind == ScheduleKind.StudyReminders).Cron);
        Assert.Equal("0 20 * * *", schedules.Single(s => s.Kind == ScheduleKind.LessonSeries).Cron);

        var jobs = Jobs(h);
        Assert.Equal(schedules.Where(s => s.Enabled).Select(s => ScheduleRegistrar.JobId(s.Id)).Order(), jobs.Select(j => j.Id).Where(i => i.StartsWith("schedule:")).Order());
        var job = jobs.Single(j => j.Id == $"schedule:{digest.Id}");
        Assert.Equal(("0 9 * * 1", "Asia/Shanghai"), (job.Cron, job.TimeZoneId));

        var client = h.Client();
        var put = await client.PutAsJsonAsync($"/api/v1/schedules/{digest.Id}", new { cron = "30 8 * * 1" });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal("30 8 * * 1", Jobs(h).Single(j => j.Id == $"schedule:{digest.Id}").Cron);
        put = await client.PutAsJsonAsync($"/api/v1/schedules/{digest.Id}", new { enabled = false });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.DoesNotContain(Jobs(h), j => j.Id == $"schedule:{digest.Id}");
        Assert.True(await h.QueryAsync(db => db.AuditEntries.CountAsync(a => a.Action == ScheduleAuditActions.Update && a.EntityId == digest.Id.ToString())) == 2);

        // A second start (restart) adds no defaults.
        await h.Get<ScheduleRegistrar>().SeedDefaultsAsync(CancellationToken.None);
        Assert.Equal(schedules.Count, await h.QueryAsync(db => db.RecurringSchedules.CountAsync()));
    }

    [Fact]
    public async Task Api_InvalidCronNamesTheField_NextRunsInLocalTime_RunNowOncePerMinute_OutOfScope404()
    {
        await using var h = await ScheduleHarness.StartAsync();
        var client = h.Client();
        var id = await h.ScheduleIdAsync(ScheduleKind.PolicyDigest);

        var bad = await client.PutAsJsonAsync($"/api/v1/schedules/{id}", new { cron = "every monday" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var problem = JsonDocument.Parse(await bad.Content.ReadAsStringAsync()).RootElement;
        Assert.True(problem.GetProperty("errors").TryGetProperty("cron", out _));
        Assert.Equal("0 9 * * 1", await h.QueryAsync(db => db.RecurringSchedules.Where(s => s.Id == id).Select(s => s.Cron).SingleAsync()));

        var next = await h.GetJsonAsync($"/api/v1/schedules/{id}/next?count=5");
        var times = next.GetProperty("next").EnumerateArray().Select(e => DateTimeOffset.Parse(e.GetString()!)).ToList();
        Assert.Equal(5, times.Count);
        Assert.All(times, t => Assert.Equal((DayOfWeek.Monday, 9, 0, TimeSpan.FromHours(8)), (t.DayOfWeek, t.Hour, t.Minute, t.Offset)));
        Assert.Equal(ScheduleHarness.LocalOf(h.Now).Date.AddDays(7).AddHours(9), times[0].DateTime); // pinned Monday 10:00: today's 09:00 is past
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync($"/api/v1/schedules/{id}/next?count=0")).StatusCode);

        var list = await h.GetJsonAsync("/api/v1/schedules");
        Assert.Equal(6, list.GetArrayLength());

        var first = await h.PostAsync($"/api/v1/schedules/{id}/run-now");
        Assert.True(first.GetProperty("created").GetBoolean());
        Assert.Equal("Completed", first.GetProperty("run").GetProperty("status").GetString());
        var second = await h.PostAsync($"/api/v1/schedules/{id}/run-now");
        Assert.False(second.GetProperty("created").GetBoolean());
        Assert.Equal(1, await h.QueryAsync(db => db.ScheduleRuns.CountAsync(r => r.ScheduleId == id)));
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsync("/api/v1/schedules/99999/run-now", null)).StatusCode);

        // An override for branch B; branch A's and the committee's rows are not branch B's business.
        var created = await client.PostAsJsonAsync("/api/v1/schedules", new { kind = "StudyReminders", organisationId = h.Data.BranchB, cron = "0 18 * * *", enabled = false });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var bad400 = await client.PostAsJsonAsync("/api/v1/schedules", new { kind = "StudyReminders", organisationId = 424242, cron = "0 18 * * *" });
        Assert.Equal(HttpStatusCode.BadRequest, bad400.StatusCode);
        Assert.Contains("organisationId", await bad400.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ChildSchedule_OverridesItsSubtree_DisabledChildSwitchesItOff()
    {
        await using var h = await ScheduleHarness.StartAsync();
        var d = h.Data;
        await using (var db = h.Db())
        {
            db.RecurringSchedules.Add(new RecurringSchedule { Name = "A1 off", Kind = ScheduleKind.StudyReminders, Cron = "0 19 * * *", OrganisationId = d.SubBranchA1, Enabled = false, CreatedAt = h.Now, UpdatedAt = h.Now });
            var t = new StudyTask { OrganisationId = d.BranchA, Title = "学习", ContentItemId = d.LessonId, DueAt = h.Now.AddDays(1), CreatedAt = h.Now };
            db.StudyTasks.Add(t);
            await db.SaveChangesAsync();
            db.StudyAssignments.AddRange(new StudyAssignment { StudyTaskId = t.Id, MemberId = d.Members["cs"] }, new StudyAssignment { StudyTaskId = t.Id, MemberId = d.Members["mobile"] });
            await db.SaveChangesAsync();
        }
        await h.RunAsync(ScheduleKind.StudyReminders);
        var rows = await h.RowsAsync();
        Assert.Contains(rows, r => r.MemberId == d.Members["cs"]);
        Assert.DoesNotContain(rows, r => r.MemberId == d.Members["mobile"]); // A1 has its own (disabled) schedule
    }

    [Fact]
    public async Task MissedSlotsDuringDowntime_RunOnce_TheNewest_NotOncePerSlot()
    {
        await using var h = await ScheduleHarness.StartAsync();
        var runner = h.Get<ScheduleRunner>();
        var id = await h.ScheduleIdAsync(ScheduleKind.StudyReminders);
        var today = ScheduleHarness.LocalOf(h.Now).Date;
        // Last run three evenings ago; the host was down since.
        await using (var db = h.Db())
            await db.RecurringSchedules.Where(s => s.Id != id).ExecuteUpdateAsync(s => s.SetProperty(x => x.Enabled, false));
        await using (var db = h.Db())
            await db.RecurringSchedules.Where(s => s.Id == id).ExecuteUpdateAsync(s => s
                .SetProperty(x => x.LastSlotAt, ScheduleHarness.Utc(today.AddDays(-3).AddHours(19)))
                .SetProperty(x => x.CreatedAt, h.Now.AddDays(-30)).SetProperty(x => x.UpdatedAt, h.Now.AddDays(-30)));

        var registrar = h.Get<ScheduleRegistrar>();
        Assert.Equal(1, await registrar.RecoverAsync(CancellationToken.None));
        var run = await h.QueryAsync(db => db.ScheduleRuns.SingleAsync(r => r.ScheduleId == id));
        Assert.Equal((ScheduleHarness.Utc(today.AddDays(-1).AddHours(19)), "recovery"), (run.SlotAt, run.Trigger));
        // A second start (or a second instance) recovers nothing more.
        Assert.Equal(0, await registrar.RecoverAsync(CancellationToken.None));
        Assert.Equal(1, await h.QueryAsync(db => db.ScheduleRuns.CountAsync(r => r.ScheduleId == id)));
        // Hangfire firing late for the same slot (its own misfire handling) makes no second run either.
        Assert.Equal(SlotOutcome.AlreadyRun, (await runner.RunSlotAsync(id, run.SlotAt, "cron", CancellationToken.None)).Outcome);

        // Tonight's slot runs normally through the cron job.
        h.Clock.SetUtcNow(ScheduleHarness.Utc(today.AddHours(19).AddSeconds(3)));
        await h.Get<ScheduleCronJob>().RunAsync(id, CancellationToken.None);
        Assert.Equal(ScheduleHarness.Utc(today.AddHours(19)), await h.QueryAsync(db => db.RecurringSchedules.Where(s => s.Id == id).Select(s => s.LastSlotAt).SingleAsync()));
    }

    [Fact]
    public async Task CronChangedWhileRunning_RunFinishesForItsSlot_NextSlotFollowsTheNewCron()
    {
        var gate = new HeldCadenceTask.Gate();
        await using var h = await ScheduleHarness.StartAsync(factory: WithHeldCadence(gate), registerJobs: true);
        var id = await h.ScheduleIdAsync(ScheduleKind.CadenceAlerts);
        var today = ScheduleHarness.LocalOf(h.Now).Date;
        var slot = ScheduleHarness.Utc(today.AddHours(9)); // default 0 9 * * *; pinned now is 10:00
        var running = h.Get<ScheduleCronJob>().RunAsync(id, CancellationToken.None);
        await gate.Started.Task.WaitAsync(TimeSpan.FromSeconds(30));

        var put = await h.Client().PutAsJsonAsync($"/api/v1/schedules/{id}", new { cron = "30 8 * * *" });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal("30 8 * * *", Jobs(h).Single(j => j.Id == $"schedule:{id}").Cron);
        // The same slot fired again meanwhile (a second instance): loses to the running one.
        Assert.Equal(SlotOutcome.AlreadyRun, (await h.Get<ScheduleRunner>().RunSlotAsync(id, slot, "cron", CancellationToken.None)).Outcome);

        gate.Release.SetResult();
        await running;
        var run = await h.QueryAsync(db => db.ScheduleRuns.SingleAsync(r => r.ScheduleId == id));
        Assert.Equal((ScheduleRunStatus.Completed, slot), (run.Status, run.SlotAt));
        Assert.Contains("held", run.Report);

        h.Clock.SetUtcNow(ScheduleHarness.Utc(today.AddDays(1).AddHours(8).AddMinutes(30).AddSeconds(2)));
        await h.Get<ScheduleCronJob>().RunAsync(id, CancellationToken.None);
        var slots = await h.QueryAsync(db => db.ScheduleRuns.Where(r => r.ScheduleId == id).OrderBy(r => r.SlotAt).Select(r => r.SlotAt).ToListAsync());
        Assert.Equal([slot, ScheduleHarness.Utc(today.AddDays(1).AddHours(8).AddMinutes(30))], slots);
        Assert.Equal(2, gate.Runs);
        // Recovery right after sees nothing missed (the change is newer than the old cron's slots).
        await h.Get<ScheduleRegistrar>().RecoverAsync(CancellationToken.None);
        Assert.Equal(2, await h.QueryAsync(db => db.ScheduleRuns.CountAsync(r => r.ScheduleId == id)));
        Assert.Equal(2, gate.Runs);
    }

    [SkippableFact]
    public async Task TwoHosts_SharingPostgresAndRedis_RunASlotOnce()
    {
        var gate = new HeldCadenceTask.Gate();
        gate.Release.SetResult();
        await using var one = await ScheduleHarness.StartAsync(factory: WithHeldCadence(gate).UseRedis(), postgres: true);
        var second = WithHeldCadence(gate).UseRedis();
        second.Settings["Database:Provider"] = "Postgres";
        second.Settings["Database:ConnectionString"] = one.Factory.PostgresDatabase!.ConnectionString;
        await using var two = await ScheduleHarness.StartAsync(factory: second, seed: false);
        two.Clock.SetUtcNow(one.Now);

        Assert.Equal(6, await one.QueryAsync(db => db.RecurringSchedules.CountAsync()));
        var id = await one.ScheduleIdAsync(ScheduleKind.CadenceAlerts);
        var studyId = await one.ScheduleIdAsync(ScheduleKind.StudyReminders);
        var slot = one.Now;
        var results = await Task.WhenAll(
            one.Get<ScheduleRunner>().RunSlotAsync(id, slot, "cron", CancellationToken.None),
            two.Get<ScheduleRunner>().RunSlotAsync(id, slot, "cron", CancellationToken.None),
            one.Get<ScheduleRunner>().RunSlotAsync(studyId, slot, "cron", CancellationToken.None),
            two.Get<ScheduleRunner>().RunSlotAsync(studyId, slot, "cron", CancellationToken.None));
        Assert.Equal(1, results.Take(2).Count(r => r.Outcome == SlotOutcome.Ran));
        Assert.Equal(1, results.Skip(2).Count(r => r.Outcome == SlotOutcome.Ran));
        Assert.Equal(1, gate.Runs);
        Assert.Equal(2, await one.QueryAsync(db => db.ScheduleRuns.CountAsync()));
    }
}

/// <summary>Samples of the schedules API for the OpenAPI walk test (demo seed, 超级管理员 key).</summary>
public sealed class SchedulesApiSamples : IApiSampleSet
{
    private static async Task<int> DigestIdAsync(ApiSampleContext c)
    {
        using var scope = c.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<ChatBot.Host.Data.ChatBotDbContext>();
        return await db.RecurringSchedules.Where(s => s.Kind == ScheduleKind.PolicyDigest && s.OrganisationId == null).Select(s => s.Id).SingleAsync();
    }

    private static async Task<int> BranchIdAsync(ApiSampleContext c)
    {
        using var scope = c.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<ChatBot.Host.Data.ChatBotDbContext>();
        var taken = await db.RecurringSchedules.Where(s => s.Kind == ScheduleKind.ActivityReminders && s.OrganisationId != null).Select(s => s.OrganisationId!.Value).ToListAsync();
        return await db.Organisations.Where(o => o.ParentId != null && !taken.Contains(o.Id)).Select(o => o.Id).FirstAsync();
    }

    private static HttpRequestMessage Json(HttpMethod method, string url, object body) =>
        new(method, url) { Content = JsonContent.Create(body) };

    public IEnumerable<ApiSample> Samples() =>
    [
        new("GET", "/api/v1/schedules", 200, _ => Task.FromResult(new HttpRequestMessage(HttpMethod.Get, "/api/v1/schedules"))),
        new("POST", "/api/v1/schedules", 201, async c => Json(HttpMethod.Post, "/api/v1/schedules",
            new { kind = "ActivityReminders", organisationId = await BranchIdAsync(c), cron = "0 * * * *", enabled = false })),
        new("GET", "/api/v1/schedules/{id}", 200, async c => new HttpRequestMessage(HttpMethod.Get, $"/api/v1/schedules/{await DigestIdAsync(c)}")),
        new("PUT", "/api/v1/schedules/{id}", 200, async c => Json(HttpMethod.Put, $"/api/v1/schedules/{await DigestIdAsync(c)}", new { cron = "0 9 * * 1", enabled = true })),
        new("DELETE", "/api/v1/schedules/{id}", 404, _ => Task.FromResult(new HttpRequestMessage(HttpMethod.Delete, "/api/v1/schedules/999999"))),
        new("GET", "/api/v1/schedules/{id}/next", 200, async c => new HttpRequestMessage(HttpMethod.Get, $"/api/v1/schedules/{await DigestIdAsync(c)}/next?count=5")),
        new("GET", "/api/v1/schedules/{id}/runs", 200, async c => new HttpRequestMessage(HttpMethod.Get, $"/api/v1/schedules/{await DigestIdAsync(c)}/runs")),
        new("POST", "/api/v1/schedules/{id}/run-now", 200, async c => new HttpRequestMessage(HttpMethod.Post, $"/api/v1/schedules/{await DigestIdAsync(c)}/run-now")),
    ];
}
