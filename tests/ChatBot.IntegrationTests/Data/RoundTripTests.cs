using ChatBot.Core.Domain;
using ChatBot.Host.Data;
using Microsoft.EntityFrameworkCore;
using static ChatBot.IntegrationTests.Data.TestData;

namespace ChatBot.IntegrationTests.Data;

using Delivery = ChatBot.Core.Domain.Delivery;

/// <summary>
/// Every entity is saved as a graph and read back with a fresh context on a database built by the real
/// migrations. Runs once per provider (see the derived classes at the end of the file).
/// </summary>
public abstract class RoundTripTests(DatabaseFixture fixture)
{
    protected abstract Task<TestDatabase> CreateDatabaseAsync();

    protected Task<TestDatabase> DatabaseAsync() => fixture.GetAsync(CreateDatabaseAsync);

    [SkippableFact]
    public async Task Migrate_AppliesInitial_AndCoversTheModel()
    {
        var database = await DatabaseAsync();
        await using var db = database.CreateContext();

        Assert.Contains(await db.Database.GetAppliedMigrationsAsync(), m => m.EndsWith("_Initial", StringComparison.Ordinal));
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.False(db.Database.HasPendingModelChanges(), "The model changed without a migration for this provider.");
    }

    [SkippableFact]
    public async Task Member_RoundTrips_WithOrganisationTreeAndChannelIdentity()
    {
        var database = await DatabaseAsync();
        int committeeId, memberId;
        await using (var db = database.CreateContext())
        {
            var committee = await AddOrganisationAsync(db, kind: OrganisationKind.Committee);
            var branch = await AddOrganisationAsync(db, committee, OrganisationKind.CentralBranch);
            branch.ShowPendingNamesInGroup = true;
            var member = new Member
            {
                Organisation = branch, Name = "韩立新", Status = MemberStatus.Probationary, IsMobile = true,
                BusinessName = "立新货运", Phone = "13567890741", Archived = true, CreatedAt = At,
            };
            db.Members.Add(member);
            db.ChannelIdentities.Add(new ChannelIdentity
            {
                Channel = Channel.DingTalk, ExternalId = Unique("staff"), Member = member, State = BindingState.Bound,
                BoundAt = At.AddMinutes(1), Subscribed = false, LastInboundAt = At.AddMinutes(2),
                CustomerServiceSendsInWindow = 3, CreatedAt = At,
            });
            db.BindingCodes.Add(new BindingCode { Code = Unique("code"), Member = member, ExpiresAt = At.AddDays(7), CreatedAt = At });
            await db.SaveChangesAsync();
            (committeeId, memberId) = (committee.Id, member.Id);
        }

        await using (var db = database.CreateContext())
        {
            var member = await db.Members.Include(m => m.Organisation).ThenInclude(o => o!.Parent).SingleAsync(m => m.Id == memberId);
            Assert.Equal(("韩立新", MemberStatus.Probationary, true, "立新货运", "13567890741", true),
                (member.Name, member.Status, member.IsMobile, member.BusinessName, member.Phone, member.Archived));
            Assert.Equal(At, member.CreatedAt);
            Assert.Equal(DateTimeKind.Utc, member.CreatedAt.Kind);
            var branch = member.Organisation!;
            Assert.Equal((OrganisationKind.CentralBranch, true, committeeId), (branch.Kind, branch.ShowPendingNamesInGroup, branch.ParentId));
            Assert.Equal($"/{committeeId}/{branch.Id}/", branch.Path);
            Assert.Equal(OrganisationKind.Committee, branch.Parent!.Kind);
            Assert.True(branch.IsInSubtreeOf(branch.Parent));

            var identity = await db.ChannelIdentities.SingleAsync(i => i.MemberId == memberId);
            Assert.Equal((Channel.DingTalk, BindingState.Bound, false, 3), (identity.Channel, identity.State, identity.Subscribed, identity.CustomerServiceSendsInWindow));
            Assert.Equal(At.AddMinutes(1), identity.BoundAt);
            Assert.Equal(At.AddMinutes(2), identity.LastInboundAt);
            Assert.Equal(DateTimeKind.Utc, identity.LastInboundAt!.Value.Kind);

            var code = await db.BindingCodes.SingleAsync(c => c.MemberId == memberId);
            Assert.Equal(At.AddDays(7), code.ExpiresAt);
            Assert.Null(code.UsedAt);
            Assert.True(code.IsUsable(At));
        }
    }

    [SkippableFact]
    public async Task Organisation_SubtreeQuery_UsesMaterialisedPathPrefix()
    {
        var database = await DatabaseAsync();
        await using var db = database.CreateContext();
        var committee = await AddOrganisationAsync(db, kind: OrganisationKind.Committee);
        var branch = await AddOrganisationAsync(db, committee);
        await AddOrganisationAsync(db, branch, OrganisationKind.EnterpriseBranch);
        await AddOrganisationAsync(db, kind: OrganisationKind.Committee);

        await using var fresh = database.CreateContext();
        var subtree = await fresh.Organisations.Where(o => o.Path.StartsWith(committee.Path)).CountAsync();
        var branchSubtree = await fresh.Organisations.Where(o => o.Path.StartsWith(branch.Path)).CountAsync();

        Assert.Equal(3, subtree);
        Assert.Equal(2, branchSubtree);
    }

    [SkippableFact]
    public async Task UnansweredQuestion_RoundTrips_WithBranchAndMember()
    {
        var database = await DatabaseAsync();
        long id;
        int memberId, organisationId;
        await using (var db = database.CreateContext())
        {
            var member = await AddMemberAsync(db);
            (memberId, organisationId) = (member.Id, member.OrganisationId);
            var row = new UnansweredQuestion
            {
                Question = "卖卤菜要办什么证", Channel = Channel.DingTalk, OrganisationId = organisationId, MemberId = memberId,
                Kind = UnansweredKind.Human, Offered = "食品经营许可办理指南\n食品安全“两个责任”落实指南", HumanRequested = true, AskedAt = At,
            };
            row.Resolve("admin", At.AddHours(1));
            db.UnansweredQuestions.Add(row);
            await db.SaveChangesAsync();
            id = row.Id;
        }

        await using (var db = database.CreateContext())
        {
            var row = await db.UnansweredQuestions.SingleAsync(q => q.Id == id);
            Assert.Equal(("卖卤菜要办什么证", Channel.DingTalk, organisationId, memberId, UnansweredKind.Human, true),
                (row.Question, row.Channel, row.OrganisationId!.Value, row.MemberId!.Value, row.Kind, row.HumanRequested));
            Assert.Equal((UnansweredStatus.Resolved, At, At.AddHours(1), "admin"), (row.Status, row.AskedAt, row.ResolvedAt!.Value, row.ResolvedBy));
            Assert.Equal(2, row.Offered.Split('\n').Length);
            var stored = await db.Database
                .SqlQueryRaw<string>("SELECT \"Kind\" AS \"Value\" FROM \"UnansweredQuestions\" WHERE \"Id\" = {0}", id)
                .SingleAsync();
            Assert.Equal("Human", stored);
        }
    }

    [SkippableFact]
    public async Task Enums_AreStoredByName()
    {
        var database = await DatabaseAsync();
        int memberId;
        await using (var db = database.CreateContext())
        {
            var member = await AddMemberAsync(db);
            member.Status = MemberStatus.Activist;
            await db.SaveChangesAsync();
            memberId = member.Id;
        }

        await using (var db = database.CreateContext())
        {
            var stored = await db.Database
                .SqlQueryRaw<string>("SELECT \"Status\" AS \"Value\" FROM \"Members\" WHERE \"Id\" = {0}", memberId)
                .SingleAsync();
            Assert.Equal("Activist", stored);
        }
    }

    [SkippableFact]
    public async Task Lesson_RoundTrips_WithQuizQuestions()
    {
        var database = await DatabaseAsync();
        int lessonId;
        await using (var db = database.CreateContext())
        {
            var lesson = new ContentItem
            {
                Kind = ContentKind.Lesson, Status = ContentStatus.Review, Title = "安全责任党课", Summary = "五分钟",
                BodyMarkdown = "## 安全生产\n人人有责。", Keywords = "安全 责任", EstimatedMinutes = 5,
                CreatedAt = At, UpdatedAt = At.AddHours(1),
                Questions =
                [
                    new QuizQuestion { Order = 2, Text = "第二题", OptionA = "甲", OptionB = "乙", OptionC = "丙", OptionD = null, CorrectOptions = "C", Explanation = "因为丙" },
                    new QuizQuestion { Order = 1, Text = "第一题", OptionA = "对", OptionB = "错", CorrectOptions = "B" },
                ],
            };
            db.ContentItems.Add(lesson);
            await db.SaveChangesAsync();
            lessonId = lesson.Id;
        }

        await using (var db = database.CreateContext())
        {
            var lesson = await db.ContentItems.Include(c => c.Questions).SingleAsync(c => c.Id == lessonId);
            Assert.Equal((ContentKind.Lesson, ContentStatus.Review, "安全责任党课", "## 安全生产\n人人有责。", 5),
                (lesson.Kind, lesson.Status, lesson.Title, lesson.BodyMarkdown, lesson.EstimatedMinutes));
            Assert.Null(lesson.PublishedAt);
            Assert.Null(lesson.OrganisationId);
            Assert.Equal(At.AddHours(1), lesson.UpdatedAt);
            var questions = lesson.Questions.OrderBy(q => q.Order).ToList();
            Assert.Equal(["B", "C"], questions.Select(q => q.CorrectOptions));
            Assert.Equal(["A", "B", "C"], questions[1].Options().Select(o => o.Letter.ToString()));
            Assert.Null(questions[1].OptionD);
            Assert.Equal("因为丙", questions[1].Explanation);
        }
    }

    [SkippableFact]
    public async Task Activity_RoundTrips_WithSignUps()
    {
        var database = await DatabaseAsync();
        int activityId;
        await using (var db = database.CreateContext())
        {
            var organisation = await AddOrganisationAsync(db);
            var activity = new Activity
            {
                Organisation = organisation, Kind = ActivityKind.Volunteer, Title = "光彩助农", Description = "帮茶农卖茶",
                Location = "云岭村", StartsAt = At.AddDays(10), EndsAt = At.AddDays(10).AddHours(4), Capacity = 2,
                SignUpDeadline = At.AddDays(8), CheckInCode = "123456", CheckInOpensMinutesBefore = 15,
                CheckInClosesMinutesAfter = 45, Cancelled = true, CreatedAt = At,
            };
            db.Activities.Add(activity);
            db.SignUps.AddRange(
                new SignUp { Activity = activity, Member = await AddMemberAsync(db, organisation), Status = SignUpStatus.CheckedIn, Seat = 1, CheckedInAt = At.AddDays(10), CreatedAt = At, UpdatedAt = At.AddDays(10) },
                new SignUp { Activity = activity, Member = await AddMemberAsync(db, organisation), Status = SignUpStatus.Waitlisted, WaitlistedAt = At.AddSeconds(5), CreatedAt = At, UpdatedAt = At });
            await db.SaveChangesAsync();
            activityId = activity.Id;
        }

        await using (var db = database.CreateContext())
        {
            var activity = await db.Activities.SingleAsync(a => a.Id == activityId);
            Assert.Equal((ActivityKind.Volunteer, 2, "123456", 15, 45, true),
                (activity.Kind, activity.Capacity, activity.CheckInCode, activity.CheckInOpensMinutesBefore, activity.CheckInClosesMinutesAfter, activity.Cancelled));
            Assert.Equal((At.AddDays(10), At.AddDays(8)), (activity.StartsAt, activity.SignUpDeadline));
            var signUps = await db.SignUps.Where(s => s.ActivityId == activityId).OrderBy(s => s.Id).ToListAsync();
            Assert.Equal([SignUpStatus.CheckedIn, SignUpStatus.Waitlisted], signUps.Select(s => s.Status));
            Assert.Equal([1, null], signUps.Select(s => s.Seat));
            Assert.Equal(At.AddDays(10), signUps[0].CheckedInAt);
            Assert.Equal(At.AddSeconds(5), signUps[1].WaitlistedAt);
        }
    }

    [SkippableFact]
    public async Task StudyTask_RoundTrips_WithAssignments()
    {
        var database = await DatabaseAsync();
        int taskId;
        await using (var db = database.CreateContext())
        {
            var organisation = await AddOrganisationAsync(db);
            var task = await AddStudyTaskAsync(db, organisation);
            task.PassScore = 80;
            db.StudyAssignments.Add(new StudyAssignment
            {
                StudyTask = task, Member = await AddMemberAsync(db, organisation), Status = AssignmentStatus.Completed,
                Score = 100, CompletedAt = At.AddDays(1), RemindersSent = 2, LastRemindedAt = At.AddHours(20),
            });
            await db.SaveChangesAsync();
            taskId = task.Id;
        }

        await using (var db = database.CreateContext())
        {
            var assignment = await db.StudyAssignments.Include(a => a.StudyTask!).ThenInclude(t => t.ContentItem).SingleAsync(a => a.StudyTaskId == taskId);
            Assert.Equal((AssignmentStatus.Completed, 100, 2), (assignment.Status, assignment.Score, assignment.RemindersSent));
            Assert.Equal((At.AddDays(1), At.AddHours(20)), (assignment.CompletedAt, assignment.LastRemindedAt));
            Assert.Equal((80, At.AddDays(4)), (assignment.StudyTask!.PassScore, assignment.StudyTask.DueAt));
            Assert.Equal(ContentKind.Lesson, assignment.StudyTask.ContentItem!.Kind);
        }
    }

    [SkippableFact]
    public async Task PointsLedger_RoundTrips_WithReversal()
    {
        var database = await DatabaseAsync();
        long reversalId;
        await using (var db = database.CreateContext())
        {
            var member = await AddMemberAsync(db);
            var rule = new PointsRule { Code = Unique("volunteer"), Name = "志愿服务", Points = 5, DailyCap = null, NeedsApproval = true, Active = false };
            var credit = new PointsEntry { MemberId = member.Id, PointsRule = rule, SourceKey = "activity:7", Points = 5, Status = PointsEntryStatus.Approved, CreatedAt = At };
            db.PointsEntries.Add(credit);
            await db.SaveChangesAsync();
            var reversal = new PointsEntry
            {
                MemberId = member.Id, PointsRule = rule, SourceKey = $"reversal:{credit.Id}", Points = -5,
                Status = PointsEntryStatus.PendingApproval, ReversesEntryId = credit.Id, Note = "误登记", CreatedAt = At.AddDays(1),
            };
            db.PointsEntries.Add(reversal);
            await db.SaveChangesAsync();
            reversalId = reversal.Id;
        }

        await using (var db = database.CreateContext())
        {
            var reversal = await db.PointsEntries.Include(e => e.PointsRule).SingleAsync(e => e.Id == reversalId);
            Assert.Equal((-5, PointsEntryStatus.PendingApproval, "误登记"), (reversal.Points, reversal.Status, reversal.Note));
            Assert.Equal(At.AddDays(1), reversal.CreatedAt);
            var reversed = await db.PointsEntries.SingleAsync(e => e.Id == reversal.ReversesEntryId);
            Assert.Equal(("activity:7", 5), (reversed.SourceKey, reversed.Points));
            Assert.Equal((5, (int?)null, true, false), (reversal.PointsRule!.Points, reversal.PointsRule.DailyCap, reversal.PointsRule.NeedsApproval, reversal.PointsRule.Active));
        }
    }

    [SkippableFact]
    public async Task Broadcast_RoundTrips_WithRunDeliveriesGroupChatAndSchedule()
    {
        var database = await DatabaseAsync();
        int runId;
        await using (var db = database.CreateContext())
        {
            var organisation = await AddOrganisationAsync(db);
            var member = await AddMemberAsync(db, organisation);
            var identity = new ChannelIdentity { Channel = Channel.WeChat, ExternalId = Unique("openid"), Member = member, State = BindingState.Bound, CreatedAt = At };
            var group = new GroupChat
            {
                Organisation = organisation, Channel = Channel.WeCom, Name = "商圈支部群", WebhookUrlProtected = "CfDJ8-protected",
                SecretProtected = "CfDJ8-secret", ConversationId = Unique("cid"), Muted = true, BrokenReason = "93000",
                BrokenAt = At.AddHours(3), CreatedAt = At,
            };
            var schedule = new RecurringSchedule
            {
                Name = "每周政策速递", Kind = ScheduleKind.PolicyDigest, Cron = "0 9 * * 1", OrganisationId = organisation.Id,
                Enabled = false, Parameters = "{\"max\":5}", LastSlotAt = At.AddDays(-7), CreatedAt = At,
            };
            var broadcast = new Broadcast
            {
                Title = "通知", Body = "请按时参加主题党日", OrganisationId = organisation.Id, IncludeGroupChats = true,
                Status = BroadcastStatus.Scheduled, ScheduledAt = At.AddHours(6), CreatedBy = "admin", CreatedAt = At,
            };
            db.AddRange(identity, group, schedule, broadcast);
            await db.SaveChangesAsync();
            var run = new BroadcastRun { BroadcastId = broadcast.Id, RecurringScheduleId = schedule.Id, RunKey = Unique("run"), Status = RunStatus.Sending, StartedAt = At.AddHours(6) };
            db.BroadcastRuns.Add(run);
            await db.SaveChangesAsync();
            db.Deliveries.AddRange(
                new Delivery
                {
                    BroadcastRunId = run.Id, IdempotencyKey = Unique("d"), MemberId = member.Id, ChannelIdentityId = identity.Id,
                    Route = DeliveryRoute.WeChatTemplate, Status = DeliveryStatus.Failed, Payload = "{\"text\":\"请按时参加\"}",
                    Attempts = 3, LastError = "45047", CreatedAt = At, NextAttemptAt = At.AddMinutes(10),
                },
                new Delivery
                {
                    BroadcastRunId = run.Id, IdempotencyKey = Unique("d"), GroupChatId = group.Id, Route = DeliveryRoute.WeComRobot,
                    Status = DeliveryStatus.Sent, PlatformMessageId = "m-1", CreatedAt = At, SentAt = At.AddSeconds(30),
                });
            await db.SaveChangesAsync();
            runId = run.Id;
        }

        await using (var db = database.CreateContext())
        {
            var run = await db.BroadcastRuns.SingleAsync(r => r.Id == runId);
            Assert.Equal((RunStatus.Sending, At.AddHours(6), (DateTime?)null), (run.Status, run.StartedAt, run.FinishedAt));
            var broadcast = await db.Broadcasts.SingleAsync(b => b.Id == run.BroadcastId);
            Assert.Equal((BroadcastStatus.Scheduled, true, At.AddHours(6)), (broadcast.Status, broadcast.IncludeGroupChats, broadcast.ScheduledAt!.Value));
            var schedule = await db.RecurringSchedules.SingleAsync(s => s.Id == run.RecurringScheduleId);
            Assert.Equal((ScheduleKind.PolicyDigest, "0 9 * * 1", false, "{\"max\":5}", At.AddDays(-7)),
                (schedule.Kind, schedule.Cron, schedule.Enabled, schedule.Parameters, schedule.LastSlotAt!.Value));

            var deliveries = await db.Deliveries.Where(d => d.BroadcastRunId == runId).OrderBy(d => d.Id).ToListAsync();
            Assert.Equal([DeliveryRoute.WeChatTemplate, DeliveryRoute.WeComRobot], deliveries.Select(d => d.Route));
            Assert.Equal([DeliveryStatus.Failed, DeliveryStatus.Sent], deliveries.Select(d => d.Status));
            Assert.Equal(("{\"text\":\"请按时参加\"}", 3, "45047", At.AddMinutes(10)),
                (deliveries[0].Payload, deliveries[0].Attempts, deliveries[0].LastError, deliveries[0].NextAttemptAt!.Value));
            Assert.Equal(("m-1", At.AddSeconds(30)), (deliveries[1].PlatformMessageId, deliveries[1].SentAt!.Value));

            var group = await db.GroupChats.SingleAsync(g => g.Id == deliveries[1].GroupChatId);
            Assert.Equal((Channel.WeCom, "CfDJ8-protected", "CfDJ8-secret", true, "93000", At.AddHours(3)),
                (group.Channel, group.WebhookUrlProtected, group.SecretProtected, group.Muted, group.BrokenReason, group.BrokenAt!.Value));
        }
    }

    [SkippableFact]
    public async Task Administration_RoundTrips_UsersAuditAndApiKeys()
    {
        var database = await DatabaseAsync();
        string userName = Unique("shuji"), keyHash = Unique("hash"), actor = Unique("actor");
        await using (var db = database.CreateContext())
        {
            var organisation = await AddOrganisationAsync(db);
            db.AdminUsers.Add(new AdminUser { UserName = userName, PasswordHash = "AQAAAA==", DisplayName = "王书记", Role = AdminRole.Secretary, OrganisationId = organisation.Id, Disabled = true, CreatedAt = At });
            db.AuditEntries.Add(new AuditEntry { At = At, Actor = actor, Action = "broadcast.confirm", EntityType = "Broadcast", EntityId = "12", Detail = "发送给 30 人" });
            db.ApiKeys.Add(new ApiKey { Name = "台账同步", KeyHash = keyHash, Prefix = "cbk_1a2b", OrganisationId = organisation.Id, CreatedAt = At, RevokedAt = At.AddDays(30), LastUsedAt = At.AddDays(1) });
            await db.SaveChangesAsync();
        }

        await using (var db = database.CreateContext())
        {
            var user = await db.AdminUsers.SingleAsync(u => u.UserName == userName);
            Assert.Equal(("AQAAAA==", "王书记", AdminRole.Secretary, true, At), (user.PasswordHash, user.DisplayName, user.Role, user.Disabled, user.CreatedAt));
            var audit = await db.AuditEntries.SingleAsync(a => a.Actor == actor);
            Assert.Equal((At, "broadcast.confirm", "Broadcast", "12", "发送给 30 人"), (audit.At, audit.Action, audit.EntityType, audit.EntityId, audit.Detail));
            var key = await db.ApiKeys.SingleAsync(k => k.KeyHash == keyHash);
            Assert.Equal(("台账同步", "cbk_1a2b", At.AddDays(30), At.AddDays(1)), (key.Name, key.Prefix, key.RevokedAt!.Value, key.LastUsedAt!.Value));
        }
    }
}

public sealed class SqliteRoundTripTests(DatabaseFixture fixture) : RoundTripTests(fixture), IClassFixture<DatabaseFixture>
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => TestDatabase.CreateSqliteAsync();
}

public sealed class PostgresRoundTripTests(DatabaseFixture fixture) : RoundTripTests(fixture), IClassFixture<DatabaseFixture>
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => TestDatabase.CreatePostgresAsync();

    [SkippableFact]
    public async Task Migrate_StoresEveryDateTimeAsTimestampWithTimeZone()
    {
        var database = await DatabaseAsync();
        await using var db = database.CreateContext();

        var types = await db.Database.SqlQueryRaw<string>(
            "SELECT DISTINCT data_type AS \"Value\" FROM information_schema.columns WHERE table_schema = 'public' AND data_type LIKE 'timestamp%'")
            .ToListAsync();

        Assert.Equal(["timestamp with time zone"], types);
    }
}
