using System.Net;
using ChatBot.Core.Domain;
using ChatBot.Host.Admin;
using ChatBot.Host.Points;
using ChatBot.Host.Study;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ChatBot.IntegrationTests.Admin;

/// <summary>活动 / 学习任务 / 积分 pages and v1 endpoints answer 404 for another branch's records, and write audit entries.</summary>
public sealed class ActivitiesScopeTests : IAsyncLifetime
{
    private ConsoleTestHost _h = null!;
    private int _activityB, _memberB, _taskB;

    public async Task InitializeAsync()
    {
        _h = await ConsoleTestHost.StartAsync();
        var now = _h.Clock.GetUtcNow().UtcDateTime;
        (_activityB, _memberB, _taskB) = await _h.WithDbAsync(async db =>
        {
            var member = new Member { Name = "乙支部党员", OrganisationId = _h.BranchB.Id, CreatedAt = now };
            var activity = new Activity { Title = "乙支部主题党日", OrganisationId = _h.BranchB.Id, StartsAt = now.AddDays(3), EndsAt = now.AddDays(3).AddHours(2), SignUpDeadline = now.AddDays(2), CheckInCode = "123456", CreatedAt = now };
            var lesson = new ContentItem { Kind = ContentKind.Lesson, Title = "微党课", Status = ContentStatus.Published, PublishedAt = now, CreatedAt = now, UpdatedAt = now };
            db.AddRange(member, activity, lesson);
            await db.SaveChangesAsync();
            var task = new StudyTask { Title = "学习", OrganisationId = _h.BranchB.Id, ContentItemId = lesson.Id, DueAt = now.AddDays(5), CreatedAt = now };
            db.StudyTasks.Add(task);
            await db.SaveChangesAsync();
            db.StudyAssignments.Add(new StudyAssignment { StudyTaskId = task.Id, MemberId = member.Id });
            await db.SaveChangesAsync();
            return (activity.Id, member.Id, task.Id);
        });
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task SecretaryOfA_GetsNotFound_ForBranchBsRecords()
    {
        var a = await _h.SignedInAsync("shuji-a");
        foreach (var url in new[]
                 {
                     $"/admin/activities/{_activityB}", $"/admin/activities/{_activityB}/checkin", $"/admin/activities/{_activityB}/export",
                     $"/admin/study/{_taskB}", $"/admin/points/members/{_memberB}",
                     $"/api/v1/activities/{_activityB}", $"/api/v1/activities/{_activityB}/signups", $"/api/v1/study-tasks/{_taskB}", $"/api/v1/points/members/{_memberB}",
                 })
            Assert.True((await a.GetAsync(url)).StatusCode == HttpStatusCode.NotFound, url);
        var list = await a.GetStringAsync("/admin/activities?filter=all");
        Assert.DoesNotContain("乙支部主题党日", list);

        var b = await _h.SignedInAsync("shuji-b");
        Assert.Equal(HttpStatusCode.OK, (await b.GetAsync($"/admin/activities/{_activityB}")).StatusCode);
        var csv = await (await b.GetAsync($"/admin/activities/{_activityB}/export")).Content.ReadAsByteArrayAsync();
        Assert.Equal([0xEF, 0xBB, 0xBF], csv[..3]);
    }

    [Fact]
    public async Task ManualCredit_ApiRefusesTheRequesterAsApprover_AndAudits()
    {
        var scopeB = new OrganisationScope("shuji-b", AdminRole.Secretary, _h.BranchB.Id, _h.BranchB.TreePath);
        await using var scope = _h.Factory.Services.CreateAsyncScope();
        var points = scope.ServiceProvider.GetRequiredService<PointsConsoleService>();
        var line = await points.RequestManualAsync(scopeB, _memberB, 4, "结对帮扶", null);
        Assert.NotNull(line);
        var own = await points.DecideAsync(scopeB, line.Id, true, null);
        Assert.Equal(PointsDecisionOutcome.SameAsRequester, own!.Value.Outcome);
        var scopeA = new OrganisationScope("shuji-a", AdminRole.Secretary, _h.BranchA.Id, _h.BranchA.TreePath);
        Assert.Null(await points.DecideAsync(scopeA, line.Id, true, null)); // another branch: not found

        // Over HTTP the same refusal is a problem detail naming the field.
        var b = await _h.SignedInAsync("shuji-b");
        var response = await b.PostAsync($"/api/v1/points/entries/{line.Id}/approve", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("approver", await response.Content.ReadAsStringAsync());

        var api = _h.ApiKeyClient();
        Assert.Equal(HttpStatusCode.OK, (await api.PostAsync($"/api/v1/points/entries/{line.Id}/approve", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"))).StatusCode);
        Assert.True(await _h.WithDbAsync(db => db.AuditEntries.AnyAsync(e => e.Action == "points.request" && e.Actor == "shuji-b")));
        Assert.True(await _h.WithDbAsync(db => db.AuditEntries.AnyAsync(e => e.Action == "points.approve")));
    }

    [Fact]
    public async Task RemindNow_WritesOneOutboxRowPerMemberPerDay()
    {
        var scopeB = new OrganisationScope("shuji-b", AdminRole.Secretary, _h.BranchB.Id, _h.BranchB.TreePath);
        async Task<int?> RemindAsync()
        {
            await using var scope = _h.Factory.Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<StudyConsoleService>().RemindAsync(scopeB, _taskB);
        }
        Assert.Equal(1, await RemindAsync());
        Assert.Equal(0, await RemindAsync());
        Assert.Equal(1, await _h.WithDbAsync(db => db.Deliveries.CountAsync(d => d.IdempotencyKey.StartsWith($"study-remind:{_taskB}:"))));
        _h.Clock.Advance(TimeSpan.FromDays(1));
        Assert.Equal(1, await RemindAsync());
        Assert.Equal(2, await _h.WithDbAsync(db => db.StudyAssignments.Where(a => a.StudyTaskId == _taskB).Select(a => a.RemindersSent).SingleAsync()));
    }
}
