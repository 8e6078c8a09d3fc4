using ChatBot.Core.Domain;
using ChatBot.Host.Data;
using Microsoft.EntityFrameworkCore;
using static ChatBot.IntegrationTests.Data.TestData;

namespace ChatBot.IntegrationTests.Data;

using Delivery = ChatBot.Core.Domain.Delivery;

/// <summary>
/// Each uniqueness rule the application relies on for idempotency or fairness is enforced by the database:
/// inserting the duplicate from a fresh context throws. Where the key is composite, a near-duplicate that differs
/// in one part is accepted, so the index is proven to be on the right columns.
/// </summary>
public abstract class UniqueConstraintTests(DatabaseFixture fixture)
{
    protected abstract Task<TestDatabase> CreateDatabaseAsync();

    private Task<TestDatabase> DatabaseAsync() => fixture.GetAsync(CreateDatabaseAsync);

    [SkippableFact]
    public async Task ChannelIdentity_RejectsSameChannelAndExternalId()
    {
        var database = await DatabaseAsync();
        var externalId = Unique("openid");
        await SaveAsync(database, db => db.ChannelIdentities.Add(Identity(Channel.WeChat, externalId)));

        await SaveAsync(database, db => db.ChannelIdentities.Add(Identity(Channel.DingTalk, externalId)));
        await AssertDuplicateRejectedAsync(database, db => db.ChannelIdentities.Add(Identity(Channel.WeChat, externalId)));
    }

    [SkippableFact]
    public async Task ChannelIdentity_RejectsSecondBoundAccountOfSameMemberAndChannel_ButNotPendingOrOtherChannel()
    {
        var database = await DatabaseAsync();
        int memberId;
        await using (var db = database.CreateContext())
            memberId = (await AddMemberAsync(db, await AddOrganisationAsync(db))).Id;
        ChannelIdentity For(Channel channel, BindingState state)
        {
            var identity = Identity(channel, Unique("openid"));
            identity.MemberId = memberId;
            identity.State = state;
            return identity;
        }
        await SaveAsync(database, db => db.ChannelIdentities.Add(For(Channel.WeChat, BindingState.Bound)));

        // Two binding confirmations racing both pass the "already bound?" read; the filtered index stops the second.
        await SaveAsync(database, db => db.ChannelIdentities.Add(For(Channel.DingTalk, BindingState.Bound)));
        await SaveAsync(database, db => db.ChannelIdentities.Add(For(Channel.WeChat, BindingState.Pending)));
        await SaveAsync(database, db => db.ChannelIdentities.Add(For(Channel.WeChat, BindingState.Unbound)));
        await AssertDuplicateRejectedAsync(database, db => db.ChannelIdentities.Add(For(Channel.WeChat, BindingState.Bound)));
    }

    [SkippableFact]
    public async Task SignUp_RejectsSecondSignUpOfSameMember()
    {
        var database = await DatabaseAsync();
        int activityId, memberId, otherActivityId;
        await using (var db = database.CreateContext())
        {
            var organisation = await AddOrganisationAsync(db);
            (activityId, otherActivityId) = ((await AddActivityAsync(db, organisation)).Id, (await AddActivityAsync(db, organisation)).Id);
            memberId = (await AddMemberAsync(db, organisation)).Id;
        }
        await SaveAsync(database, db => db.SignUps.Add(SignUpOf(activityId, memberId, seat: null)));

        await SaveAsync(database, db => db.SignUps.Add(SignUpOf(otherActivityId, memberId, seat: null)));
        await AssertDuplicateRejectedAsync(database, db => db.SignUps.Add(SignUpOf(activityId, memberId, seat: null)));
    }

    [SkippableFact]
    public async Task SignUp_RejectsSecondHolderOfSameSeat_ButAllowsManyWithoutSeat()
    {
        var database = await DatabaseAsync();
        int activityId;
        int[] members;
        await using (var db = database.CreateContext())
        {
            var organisation = await AddOrganisationAsync(db);
            activityId = (await AddActivityAsync(db, organisation, capacity: 1)).Id;
            members = [(await AddMemberAsync(db, organisation)).Id, (await AddMemberAsync(db, organisation)).Id,
                (await AddMemberAsync(db, organisation)).Id, (await AddMemberAsync(db, organisation)).Id];
        }
        await SaveAsync(database, db => db.SignUps.Add(SignUpOf(activityId, members[0], seat: 1)));

        // Waitlisted and cancelled rows hold no seat; the filtered index must let any number of them exist.
        await SaveAsync(database, db => db.SignUps.Add(SignUpOf(activityId, members[1], seat: null, SignUpStatus.Waitlisted)));
        await SaveAsync(database, db => db.SignUps.Add(SignUpOf(activityId, members[2], seat: null, SignUpStatus.Cancelled)));
        await AssertDuplicateRejectedAsync(database, db => db.SignUps.Add(SignUpOf(activityId, members[3], seat: 1)));
    }

    [SkippableFact]
    public async Task PointsEntry_RejectsSecondCreditForSameMemberRuleAndSource()
    {
        var database = await DatabaseAsync();
        int memberId, ruleId, otherRuleId;
        await using (var db = database.CreateContext())
        {
            memberId = (await AddMemberAsync(db)).Id;
            (ruleId, otherRuleId) = ((await AddPointsRuleAsync(db)).Id, (await AddPointsRuleAsync(db)).Id);
        }
        await SaveAsync(database, db => db.PointsEntries.Add(Entry(memberId, ruleId, "quiz:12")));

        await SaveAsync(database, db => db.PointsEntries.Add(Entry(memberId, ruleId, "quiz:13")));
        await SaveAsync(database, db => db.PointsEntries.Add(Entry(memberId, otherRuleId, "quiz:12")));
        await AssertDuplicateRejectedAsync(database, db => db.PointsEntries.Add(Entry(memberId, ruleId, "quiz:12")));
    }

    [SkippableFact]
    public async Task Delivery_RejectsSameIdempotencyKey()
    {
        var database = await DatabaseAsync();
        var key = Unique("broadcast:1:member");
        await SaveAsync(database, db => db.Deliveries.Add(DeliveryWithKey(key)));

        await AssertDuplicateRejectedAsync(database, db => db.Deliveries.Add(DeliveryWithKey(key)));
    }

    [SkippableFact]
    public async Task AdminUser_RejectsSameUserName()
    {
        var database = await DatabaseAsync();
        int organisationId;
        await using (var db = database.CreateContext()) organisationId = (await AddOrganisationAsync(db)).Id;
        var userName = Unique("admin");
        await SaveAsync(database, db => db.AdminUsers.Add(AdminNamed(userName, organisationId)));

        await AssertDuplicateRejectedAsync(database, db => db.AdminUsers.Add(AdminNamed(userName, organisationId)));
    }

    [SkippableFact]
    public async Task BindingCode_RejectsSameCode()
    {
        var database = await DatabaseAsync();
        int memberId;
        await using (var db = database.CreateContext()) memberId = (await AddMemberAsync(db)).Id;
        var code = Unique("c");
        await SaveAsync(database, db => db.BindingCodes.Add(CodeFor(memberId, code)));

        await AssertDuplicateRejectedAsync(database, db => db.BindingCodes.Add(CodeFor(memberId, code)));
    }

    [SkippableFact]
    public async Task PointsRule_RejectsSameCode()
    {
        var database = await DatabaseAsync();
        var code = Unique("quiz.passed");
        await SaveAsync(database, db => db.PointsRules.Add(new PointsRule { Code = code, Name = "答题通过", Points = 2 }));

        await AssertDuplicateRejectedAsync(database, db => db.PointsRules.Add(new PointsRule { Code = code, Name = "答题通过（重复）", Points = 3 }));
    }

    [SkippableFact]
    public async Task StudyAssignment_RejectsSecondAssignmentOfSameTaskToSameMember()
    {
        var database = await DatabaseAsync();
        int taskId, otherTaskId, memberId;
        await using (var db = database.CreateContext())
        {
            var organisation = await AddOrganisationAsync(db);
            (taskId, otherTaskId) = ((await AddStudyTaskAsync(db, organisation)).Id, (await AddStudyTaskAsync(db, organisation)).Id);
            memberId = (await AddMemberAsync(db, organisation)).Id;
        }
        await SaveAsync(database, db => db.StudyAssignments.Add(new StudyAssignment { StudyTaskId = taskId, MemberId = memberId }));

        await SaveAsync(database, db => db.StudyAssignments.Add(new StudyAssignment { StudyTaskId = otherTaskId, MemberId = memberId }));
        await AssertDuplicateRejectedAsync(database, db => db.StudyAssignments.Add(new StudyAssignment { StudyTaskId = taskId, MemberId = memberId }));
    }

    [SkippableFact]
    public async Task BroadcastRun_RejectsSameRunKey()
    {
        var database = await DatabaseAsync();
        var runKey = Unique("schedule:3:2026-11-23");
        await SaveAsync(database, db => db.BroadcastRuns.Add(new BroadcastRun { RunKey = runKey, StartedAt = At }));

        await AssertDuplicateRejectedAsync(database, db => db.BroadcastRuns.Add(new BroadcastRun { RunKey = runKey, StartedAt = At.AddSeconds(1) }));
    }

    [SkippableFact]
    public async Task ApiKey_RejectsSameKeyHash()
    {
        var database = await DatabaseAsync();
        int organisationId;
        await using (var db = database.CreateContext()) organisationId = (await AddOrganisationAsync(db)).Id;
        var hash = Unique("sha256");
        await SaveAsync(database, db => db.ApiKeys.Add(KeyWithHash(hash, organisationId, "同步")));

        await AssertDuplicateRejectedAsync(database, db => db.ApiKeys.Add(KeyWithHash(hash, organisationId, "另一个")));
    }

    private static async Task SaveAsync(TestDatabase database, Action<ChatBotDbContext> add)
    {
        await using var db = database.CreateContext();
        add(db);
        await db.SaveChangesAsync();
    }

    private static async Task AssertDuplicateRejectedAsync(TestDatabase database, Action<ChatBotDbContext> addDuplicate)
    {
        await using var db = database.CreateContext();
        addDuplicate(db);
        await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
    }

    private static ChannelIdentity Identity(Channel channel, string externalId) =>
        new() { Channel = channel, ExternalId = externalId, CreatedAt = At };

    private static SignUp SignUpOf(int activityId, int memberId, int? seat, SignUpStatus status = SignUpStatus.Registered) =>
        new() { ActivityId = activityId, MemberId = memberId, Seat = seat, Status = status, CreatedAt = At, UpdatedAt = At };

    private static PointsEntry Entry(int memberId, int ruleId, string sourceKey) =>
        new() { MemberId = memberId, PointsRuleId = ruleId, SourceKey = sourceKey, Points = 2, CreatedAt = At };

    private static Delivery DeliveryWithKey(string key) =>
        new() { IdempotencyKey = key, Route = DeliveryRoute.WeChatCustomerService, CreatedAt = At };

    private static AdminUser AdminNamed(string userName, int organisationId) =>
        new() { UserName = userName, PasswordHash = "x", OrganisationId = organisationId, CreatedAt = At };

    private static BindingCode CodeFor(int memberId, string code) =>
        new() { Code = code, MemberId = memberId, ExpiresAt = At.AddDays(7), CreatedAt = At };

    private static ApiKey KeyWithHash(string hash, int organisationId, string name) =>
        new() { Name = name, KeyHash = hash, Prefix = "cbk_", OrganisationId = organisationId, CreatedAt = At };
}

public sealed class SqliteUniqueConstraintTests(DatabaseFixture fixture) : UniqueConstraintTests(fixture), IClassFixture<DatabaseFixture>
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => TestDatabase.CreateSqliteAsync();
}

public sealed class PostgresUniqueConstraintTests(DatabaseFixture fixture) : UniqueConstraintTests(fixture), IClassFixture<DatabaseFixture>
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => TestDatabase.CreatePostgresAsync();
}
