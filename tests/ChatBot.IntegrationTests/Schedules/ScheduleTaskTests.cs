using ChatBot.Core.Delivery;
using ChatBot.Core.Domain;
using ChatBot.Host.GroupChats;
using ChatBot.Host.Schedules;
using Microsoft.EntityFrameworkCore;

namespace ChatBot.IntegrationTests.Schedules;

using Delivery = ChatBot.Core.Domain.Delivery;

/// <summary>Each task against the broadcast seed with a pinned clock; rows go through the outbox (the sender is off).</summary>
public sealed class ScheduleTaskTests
{
    [Fact]
    public async Task StudyReminders_OneDigestPerMemberPerDay_DueSoonAndOverdueOnly_Budgeted()
    {
        await using var h = await ScheduleHarness.StartAsync();
        var d = h.Data;
        var now = h.Now;
        await using (var db = h.Db())
        {
            StudyTask Task(string title, DateTime due) => new() { OrganisationId = d.BranchA, Title = title, ContentItemId = d.LessonId, DueAt = due, CreatedAt = now };
            var soon = Task("学习二十大精神", now.AddDays(2));
            var overdue = Task("党章学习", now.AddDays(-1));
            var later = Task("下月学习", now.AddDays(10));
            db.StudyTasks.AddRange(soon, overdue, later);
            await db.SaveChangesAsync();
            void Assign(StudyTask t, string member, AssignmentStatus status = AssignmentStatus.Pending) =>
                db.StudyAssignments.Add(new StudyAssignment { StudyTaskId = t.Id, MemberId = d.Members[member], Status = status });
            Assign(soon, "cs"); Assign(overdue, "cs"); Assign(later, "cs");
            Assign(later, "ding");
            Assign(soon, "closed");
            Assign(soon, "mobile", AssignmentStatus.Completed);
            await db.SaveChangesAsync();
        }

        var run = await h.RunAsync(ScheduleKind.StudyReminders);
        var rows = await h.RowsAsync();
        Assert.Equal(new[] { d.Members["cs"], d.Members["closed"] }.Order(), rows.Select(r => r.MemberId!.Value).Order());
        var cs = rows.Single(r => r.MemberId == d.Members["cs"]);
        Assert.Equal((DeliveryStatus.Pending, DeliveryRoute.WeChatCustomerService), (cs.Status, cs.Route));
        var message = cs.Message();
        Assert.Equal(MessageKinds.StudyReminder, message.Kind);
        Assert.Contains("学习二十大精神", message.Text);
        Assert.Contains("党章学习", message.Text);
        Assert.Contains("已逾期", message.Text);
        Assert.DoesNotContain("下月学习", message.Text);
        Assert.Contains("/m/lessons/", message.Url);
        Assert.NotNull(cs.BroadcastRunId); // counted in the weekly budget
        Assert.Equal("windowClosedNoTemplate", rows.Single(r => r.MemberId == d.Members["closed"]).SkipReason);
        Assert.Contains("\"enqueued\":2", run.Report);

        // Another slot the same day (run-now, a second schedule): nothing new, reminder counted once.
        h.Clock.Advance(TimeSpan.FromHours(1));
        var again = await h.RunAsync(ScheduleKind.StudyReminders);
        Assert.Contains("\"enqueued\":0", again.Report);
        Assert.Equal(2, (await h.RowsAsync()).Count);
        Assert.Equal(1, await h.QueryAsync(db => db.StudyAssignments.Where(a => a.MemberId == d.Members["cs"] && a.Status == AssignmentStatus.Pending)
            .MaxAsync(a => a.RemindersSent)));

        // The next day: a new reminder; over the weekly budget: Skipped "budget".
        h.Clock.Advance(TimeSpan.FromDays(1));
        await h.RunAsync(ScheduleKind.StudyReminders);
        Assert.Equal(2, (await h.RowsAsync(q => q.Where(r => r.MemberId == d.Members["cs"]))).Count);
        await using (var db = h.Db())
        {
            var bc = new BroadcastRun { RunKey = "fake-broadcast", SlotAt = h.Now, StartedAt = h.Now, Status = RunStatus.Completed };
            db.BroadcastRuns.Add(bc);
            await db.SaveChangesAsync();
            db.Deliveries.Add(new Delivery { IdempotencyKey = "fake-push", BroadcastRunId = bc.Id, MemberId = d.Members["cs"], Status = DeliveryStatus.Sent, CreatedAt = h.Now });
            await db.SaveChangesAsync();
        }
        h.Clock.Advance(TimeSpan.FromDays(1)); // Wednesday: 2 reminders + 1 broadcast = 3 this week
        await h.RunAsync(ScheduleKind.StudyReminders);
        var third = (await h.RowsAsync(q => q.Where(r => r.MemberId == d.Members["cs"] && r.IdempotencyKey.StartsWith("study:")))).Last();
        Assert.Equal((DeliveryStatus.Skipped, "budget"), (third.Status, third.SkipReason));
    }

    [Fact]
    public async Task StudyReminders_AcrossMidnight_TwoDaysTwoReminders_EveningSlotInQuietHoursIsDeferred()
    {
        await using var h = await ScheduleHarness.StartAsync();
        var d = h.Data;
        await using (var db = h.Db())
        {
            var t = new StudyTask { OrganisationId = d.BranchA, Title = "学习任务", ContentItemId = d.LessonId, DueAt = h.Now.AddDays(2), CreatedAt = h.Now };
            db.StudyTasks.Add(t);
            await db.SaveChangesAsync();
            db.StudyAssignments.Add(new StudyAssignment { StudyTaskId = t.Id, MemberId = d.Members["cs"] });
            await db.SaveChangesAsync();
        }
        var local = ScheduleHarness.LocalOf(h.Now).Date;
        h.Clock.SetUtcNow(ScheduleHarness.Utc(local.AddHours(23).AddMinutes(55)));
        await h.RunAsync(ScheduleKind.StudyReminders);
        h.Clock.SetUtcNow(ScheduleHarness.Utc(local.AddDays(1).AddMinutes(5)));
        await h.RunAsync(ScheduleKind.StudyReminders);
        var rows = await h.RowsAsync(q => q.Where(r => r.MemberId == d.Members["cs"]));
        Assert.Equal(2, rows.Count);
        Assert.NotEqual(rows[0].IdempotencyKey, rows[1].IdempotencyKey);
        // 23:55 and 00:05 are inside 21:00-08:00: both wait until 08:00 of the next morning.
        Assert.Equal(ScheduleHarness.Utc(local.AddDays(1).AddHours(8)), rows[0].NextAttemptAt);
        Assert.Equal(ScheduleHarness.Utc(local.AddDays(1).AddHours(8)), rows[1].NextAttemptAt);
    }

    [Fact]
    public async Task PolicyDigest_MergedPerGroupChat_OneLinePerMember_NothingNewSendsNothing()
    {
        await using var h = await ScheduleHarness.StartAsync();
        var d = h.Data;
        // First the empty case: no policy published in the last week → nothing written.
        var empty = await h.RunAsync(ScheduleKind.PolicyDigest);
        Assert.Contains("无新政策", empty.Report);
        Assert.Empty(await h.RowsAsync());

        await using (var db = h.Db())
        {
            ContentItem P(string title, int? org, DateTime at) => new()
            {
                Kind = ContentKind.Policy, Title = title, Summary = title + "摘要", Status = ContentStatus.Published, OrganisationId = org,
                PublishedAt = at, CreatedAt = at, UpdatedAt = at,
            };
            db.ContentItems.AddRange(P("个体工商户减税政策", null, h.Now.AddDays(2)), P("城南市场摊位租金减免", d.BranchA, h.Now.AddDays(3)),
                P("城北商会专项扶持", d.BranchB, h.Now.AddDays(4)),
                new ContentItem { Kind = ContentKind.Policy, Title = "草稿政策", Status = ContentStatus.Draft, CreatedAt = h.Now, UpdatedAt = h.Now });
            await db.SaveChangesAsync();
        }
        h.Clock.Advance(TimeSpan.FromDays(7)); // next Monday
        var run = await h.RunAsync(ScheduleKind.PolicyDigest);
        var rows = await h.RowsAsync();
        var chatRows = rows.Where(r => r.GroupChatId != null).ToList();
        Assert.Equal(4, chatRows.Count); // dingOk, weComOk written; muted, broken skipped
        var ok = chatRows.Single(r => r.GroupChatId == d.Chats["dingOk"]);
        var push = GroupPush.FromJson(ok.Payload);
        Assert.Equal(GroupPushKind.Markdown, push.Kind);
        Assert.Contains("个体工商户减税政策", push.Text);
        Assert.Contains("城南市场摊位租金减免", push.Text);
        Assert.DoesNotContain("城北商会专项扶持", push.Text);
        Assert.DoesNotContain("草稿政策", push.Text);
        Assert.Equal("groupChatMuted", chatRows.Single(r => r.GroupChatId == d.Chats["muted"]).SkipReason);

        var cs = rows.Single(r => r.MemberId == d.Members["cs"]).Message();
        Assert.Equal(MessageKinds.PolicyDigest, cs.Kind);
        Assert.Contains("2 项政策", cs.Text);
        Assert.Single(cs.Text.Split('\n'));
        Assert.EndsWith("/m/policies/" + await h.QueryAsync(db => db.ContentItems.Where(c => c.Title == "个体工商户减税政策").Select(c => c.Id).SingleAsync()), cs.Url);
        var b = rows.Single(r => r.MemberId == d.Members["activistB"]).Message();
        Assert.Contains("2 项政策", b.Text); // committee-wide + branch B's own
        Assert.Contains("\"policies\":3", run.Report);

        // The next digest starts from this one: nothing new → nothing more.
        h.Clock.Advance(TimeSpan.FromDays(7));
        var next = await h.RunAsync(ScheduleKind.PolicyDigest);
        Assert.Contains("无新政策", next.Report);
        Assert.Equal(rows.Count, (await h.RowsAsync()).Count);
    }

    [Fact]
    public async Task LessonSeries_NextLessonPerMember_PositionKept_RerunAddsNothing()
    {
        await using var h = await ScheduleHarness.StartAsync();
        var d = h.Data;
        int first;
        await using (var db = h.Db())
        {
            var earlier = new ContentItem { Kind = ContentKind.Lesson, Title = "第一课：党的性质", Status = ContentStatus.Published, PublishedAt = h.Now.AddHours(-1), CreatedAt = h.Now, UpdatedAt = h.Now };
            db.ContentItems.Add(earlier);
            await db.SaveChangesAsync();
            first = earlier.Id;
        }
        var slot1 = h.Now;
        await h.RunAsync(ScheduleKind.LessonSeries, slot1);
        var rows = await h.RowsAsync(q => q.Where(r => r.MemberId == d.Members["cs"]));
        Assert.Contains("第一课：党的性质", rows.Single().Message().Title);
        Assert.Contains($"/m/lessons/{first}", rows.Single().Message().Url);
        var card = (await h.RowsAsync(q => q.Where(r => r.GroupChatId == d.Chats["dingOk"]))).Single();
        Assert.Contains("第一课：党的性质", GroupPush.FromJson(card.Payload).Title);

        // The same slot again (a retried job): nothing new, nobody advanced.
        var id = await h.ScheduleIdAsync(ScheduleKind.LessonSeries);
        await using (var db = h.Db()) await db.ScheduleRuns.ExecuteDeleteAsync();
        await h.RunAsync(ScheduleKind.LessonSeries, slot1);
        Assert.Single(await h.RowsAsync(q => q.Where(r => r.MemberId == d.Members["cs"])));
        Assert.Equal(first, await h.QueryAsync(db => db.LessonSeriesPositions.Where(p => p.MemberId == d.Members["cs"]).Select(p => p.LastContentItemId).SingleAsync()));

        h.Clock.Advance(TimeSpan.FromDays(1));
        await h.RunAsync(ScheduleKind.LessonSeries);
        rows = await h.RowsAsync(q => q.Where(r => r.MemberId == d.Members["cs"]));
        Assert.Equal(2, rows.Count);
        Assert.Contains("新时代党员的责任", rows[1].Message().Title);
        // A member who could not be reached is not advanced: "closed" still starts at lesson 1.
        Assert.False(await h.QueryAsync(db => db.LessonSeriesPositions.AnyAsync(p => p.MemberId == d.Members["closed"])));

        h.Clock.Advance(TimeSpan.FromDays(1));
        var done = await h.RunAsync(ScheduleKind.LessonSeries);
        Assert.Equal(2, (await h.RowsAsync(q => q.Where(r => r.MemberId == d.Members["cs"]))).Count);
        Assert.Contains("\"seriesFinished\"", done.Report);
        _ = id;
    }

    [Fact]
    public async Task ActivityReminders_24hAnd1hMarks_SecretaryList_EveryScanAfterAddsNothing()
    {
        await using var h = await ScheduleHarness.StartAsync();
        var d = h.Data;
        var starts = h.Now.AddHours(30);
        await using (var db = h.Db())
        {
            var activity = new Activity
            {
                OrganisationId = d.BranchA, Title = "主题党日：走访商户", Location = "城南市场二楼", StartsAt = starts, EndsAt = starts.AddHours(2),
                Capacity = 10, SignUpDeadline = starts.AddHours(-2), CreatedAt = h.Now,
            };
            db.Activities.Add(activity);
            await db.SaveChangesAsync();
            db.SignUps.Add(new SignUp { ActivityId = activity.Id, MemberId = d.Members["cs"], Status = SignUpStatus.Registered, Seat = 1, CreatedAt = h.Now, UpdatedAt = h.Now });
            db.SignUps.Add(new SignUp { ActivityId = activity.Id, MemberId = d.Members["mobile"], Status = SignUpStatus.Waitlisted, WaitlistedAt = h.Now, CreatedAt = h.Now, UpdatedAt = h.Now });
            db.AdminUsers.Add(new AdminUser { UserName = "sec-a", PasswordHash = "x", Role = AdminRole.Secretary, OrganisationId = d.BranchA, MemberId = d.Members["ding"], CreatedAt = h.Now });
            await db.SaveChangesAsync();
        }
        // 30 h before: nothing yet.
        var early = await h.RunAsync(ScheduleKind.ActivityReminders);
        Assert.Empty(await h.RowsAsync());

        h.Clock.Advance(TimeSpan.FromHours(6) + TimeSpan.FromMinutes(5)); // 23 h 55 min before
        await h.RunAsync(ScheduleKind.ActivityReminders);
        var rows = await h.RowsAsync();
        Assert.Equal(2, rows.Count);
        var member = rows.Single(r => r.MemberId == d.Members["cs"]);
        Assert.EndsWith(":24h", member.IdempotencyKey);
        Assert.Contains("主题党日：走访商户", member.Message().Text);
        Assert.Contains("城南市场二楼", member.Message().Text);
        Assert.Null(member.BroadcastRunId); // not budgeted: the member signed up
        var list = rows.Single(r => r.MemberId == d.Members["ding"]).Message();
        Assert.Contains("已报名 1 人", list.Text);
        Assert.Contains("候补 1 人", list.Text);
        Assert.Contains("王建国", list.Text);
        Assert.Equal(DeliveryRoute.DingTalkOneToOne, rows.Single(r => r.MemberId == d.Members["ding"]).Route);

        foreach (var _ in Enumerable.Range(0, 3))
        {
            h.Clock.Advance(TimeSpan.FromMinutes(15));
            await h.RunAsync(ScheduleKind.ActivityReminders);
        }
        Assert.Equal(2, (await h.RowsAsync()).Count);

        h.Clock.SetUtcNow(starts.AddMinutes(-50));
        await h.RunAsync(ScheduleKind.ActivityReminders);
        var hour = (await h.RowsAsync(q => q.Where(r => r.MemberId == d.Members["cs"]))).Last();
        Assert.EndsWith(":1h", hour.IdempotencyKey);
        Assert.Contains("一小时内", hour.Message().Text);
        h.Clock.Advance(TimeSpan.FromMinutes(15));
        await h.RunAsync(ScheduleKind.ActivityReminders);
        Assert.Equal(3, (await h.RowsAsync()).Count);
        _ = early;
    }
}
