using System.Text.RegularExpressions;
using ChatBot.Core.Domain;
using ChatBot.Host.Configuration;
using ChatBot.Host.Data;
using ChatBot.Host.Data.Seed;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ChatBot.IntegrationTests.Data;

/// <summary>The demo seed, run through <see cref="DatabaseInitializer"/> as the host runs it, on each provider.</summary>
public abstract partial class DemoSeedTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 1, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider time = new(Now);
    private readonly ListLogger<DemoSeeder> seederLog = new();
    private readonly StringWriter console = new();

    protected abstract Task<TestDatabase> CreateDatabaseAsync();
    protected abstract string Provider { get; }

    [SkippableFact]
    public async Task Initializer_SeedsDemoCommittee_WhenDatabaseIsEmpty()
    {
        await using var database = await CreateDatabaseAsync();
        await InitializerFor(database, new DemoOptions { Seed = true }).StartAsync(CancellationToken.None);

        await using var db = database.CreateContext();
        var organisations = await db.Organisations.ToListAsync();
        var committee = Assert.Single(organisations, o => o.ParentId is null);
        Assert.Equal((OrganisationKind.Committee, $"/{committee.Id}/"), (committee.Kind, committee.Path));
        var branches = organisations.Where(o => o.ParentId == committee.Id).ToList();
        Assert.True(branches.Count >= 4, $"{branches.Count} branches");
        Assert.All(branches, b => Assert.Equal($"/{committee.Id}/{b.Id}/", b.Path));
        Assert.True(branches.Select(b => b.Kind).Distinct().Count() >= 3);
        var central = Assert.Single(branches, b => b.Kind == OrganisationKind.CentralBranch);

        var members = await db.Members.ToListAsync();
        Assert.True(members.Count >= 25, $"{members.Count} members");
        Assert.Contains(members, m => m.OrganisationId == central.Id && m.IsMobile);
        Assert.True(members.Select(m => m.Status).Distinct().Count() >= 2);
        Assert.All(members, m => Assert.Matches(ElevenDigits(), m.Phone!));
        Assert.All(members, m => Assert.Contains(m.OrganisationId, branches.Select(b => b.Id)));

        var rules = await db.PointsRules.ToDictionaryAsync(r => r.Code);
        Assert.Equal((1, 2), (rules[PointsRuleCodes.LessonRead].Points, rules[PointsRuleCodes.LessonRead].DailyCap!.Value));
        Assert.Equal((2, 4), (rules[PointsRuleCodes.QuizPassed].Points, rules[PointsRuleCodes.QuizPassed].DailyCap!.Value));
        Assert.Equal(5, rules[PointsRuleCodes.TaskCompleted].Points);
        Assert.Equal(3, rules[PointsRuleCodes.ActivityCheckIn].Points);
        Assert.Equal((5, true), (rules[PointsRuleCodes.Volunteer].Points, rules[PointsRuleCodes.Volunteer].NeedsApproval));
        Assert.Equal(-5, rules[PointsRuleCodes.UnexcusedAbsence].Points);
        Assert.Equal(-2, rules[PointsRuleCodes.TaskOverdue].Points);

        var activities = await db.Activities.ToListAsync();
        var themeDay = Assert.Single(activities, a => a.Kind == ActivityKind.ThemeDay);
        Assert.Equal(5, themeDay.Capacity);
        Assert.True(themeDay.SignUpDeadline > Now.UtcDateTime && themeDay.SignUpDeadline < themeDay.StartsAt);
        Assert.Contains(activities, a => a.Kind == ActivityKind.BranchAssembly);
        Assert.Contains(activities, a => a.Kind == ActivityKind.Volunteer);
        Assert.Contains(activities, a => a.Kind == ActivityKind.PartyLecture);
        Assert.Contains(activities, a => a.OrganisationId == committee.Id);
        Assert.True(activities.Select(a => a.OrganisationId).Distinct().Count() >= 3);
        Assert.All(activities, a => Assert.True(a.StartsAt > Now.UtcDateTime && a.EndsAt > a.StartsAt));
        Assert.All(activities, a => Assert.Matches(SixDigits(), a.CheckInCode!));

        var task = Assert.Single(await db.StudyTasks.Include(t => t.ContentItem!).ThenInclude(c => c.Questions).ToListAsync());
        Assert.True(task.DueAt > Now.UtcDateTime && task.DueAt < Now.UtcDateTime.AddDays(7));
        Assert.Equal((ContentKind.Lesson, ContentStatus.Published), (task.ContentItem!.Kind, task.ContentItem.Status));
        Assert.NotEmpty(task.ContentItem.Questions);
        var assignments = await db.StudyAssignments.Where(a => a.StudyTaskId == task.Id).ToListAsync();
        Assert.NotEmpty(assignments);
        Assert.All(assignments, a => Assert.Equal(AssignmentStatus.Pending, a.Status));

        Assert.True(await db.ContentItems.CountAsync(c => c.Kind == ContentKind.Policy && c.Status == ContentStatus.Published) >= 1);
        Assert.True(await db.ContentItems.CountAsync(c => c.Kind == ContentKind.Lesson && c.Status == ContentStatus.Published) >= 1);

        var users = await db.AdminUsers.ToListAsync();
        var admin = Assert.Single(users, u => u.UserName == DemoSeeder.AdminUserName);
        Assert.Equal((AdminRole.Admin, committee.Id), (admin.Role, admin.OrganisationId));
        var secretary = Assert.Single(users, u => u.Role == AdminRole.Secretary);
        Assert.Contains(secretary.OrganisationId, branches.Select(b => b.Id));

        var codes = await db.BindingCodes.ToListAsync();
        Assert.True(codes.Count >= 2);
        Assert.All(codes, c => Assert.Equal(Now.UtcDateTime.AddDays(7), c.ExpiresAt));
    }

    [SkippableFact]
    public async Task Initializer_DoesNotSeedAgain_WhenRunOnARestart()
    {
        await using var database = await CreateDatabaseAsync();
        await InitializerFor(database, new DemoOptions { Seed = true }).StartAsync(CancellationToken.None);
        var before = await CountsAsync(database);

        time.Advance(TimeSpan.FromDays(1));
        await InitializerFor(database, new DemoOptions { Seed = true }).StartAsync(CancellationToken.None);

        Assert.Equal(before, await CountsAsync(database));
        Assert.True(before.Organisations > 0);
    }

    [SkippableFact]
    public async Task Initializer_LeavesDatabaseEmpty_WhenDemoSeedIsOff()
    {
        await using var database = await CreateDatabaseAsync();
        await InitializerFor(database, new DemoOptions { Seed = false }).StartAsync(CancellationToken.None);

        Assert.Equal(default, await CountsAsync(database));
    }

    [SkippableFact]
    public async Task Seed_HashesConfiguredPassword_AndPrintsOnlyGeneratedOnesOnceToTheConsoleNotTheLog()
    {
        await using var database = await CreateDatabaseAsync();
        const string configured = "Demo-Admin-2026";
        await InitializerFor(database, new DemoOptions { Seed = true, AdminPassword = configured }).StartAsync(CancellationToken.None);

        await using var db = database.CreateContext();
        var hasher = new PasswordHasher<AdminUser>();
        var admin = await db.AdminUsers.SingleAsync(u => u.UserName == DemoSeeder.AdminUserName);
        Assert.NotEqual(configured, admin.PasswordHash);
        Assert.Equal(PasswordVerificationResult.Success, hasher.VerifyHashedPassword(admin, admin.PasswordHash, configured));
        Assert.DoesNotContain(seederLog.Messages, m => m.Contains(configured, StringComparison.Ordinal));

        var secretary = await db.AdminUsers.SingleAsync(u => u.UserName == DemoSeeder.SecretaryUserName);
        Assert.DoesNotContain(seederLog.Messages, m => m.Contains("generated password", StringComparison.Ordinal));
        var passwordLines = console.ToString().Split(Environment.NewLine).Where(m => m.Contains("generated password", StringComparison.Ordinal)).ToList();
        var line = Assert.Single(passwordLines);
        var generated = GeneratedPassword().Match(line).Groups["password"].Value;
        Assert.Equal(PasswordVerificationResult.Success, hasher.VerifyHashedPassword(secretary, secretary.PasswordHash, generated));
    }

    private DatabaseInitializer InitializerFor(TestDatabase database, DemoOptions demo)
    {
        var scheduling = Options.Create(new SchedulingOptions());
        var seeder = new DemoSeeder(time, Options.Create(demo), scheduling, new DemoSecretsConsole(console), seederLog);
        return new DatabaseInitializer(
            new TestDatabaseContextFactory(database),
            Options.Create(new DatabaseOptions { Provider = Provider, ConnectionString = database.ConnectionString }),
            Options.Create(demo),
            seeder,
            new HostingEnvironment { EnvironmentName = Environments.Production },
            NullLogger<DatabaseInitializer>.Instance);
    }

    private static async Task<(int Organisations, int Members, int Activities, int Rules, int Content, int Assignments, int Users, int Codes)> CountsAsync(TestDatabase database)
    {
        await using var db = database.CreateContext();
        return (await db.Organisations.CountAsync(), await db.Members.CountAsync(), await db.Activities.CountAsync(),
            await db.PointsRules.CountAsync(), await db.ContentItems.CountAsync(), await db.StudyAssignments.CountAsync(),
            await db.AdminUsers.CountAsync(), await db.BindingCodes.CountAsync());
    }

    [GeneratedRegex(@"^1\d{10}$")]
    private static partial Regex ElevenDigits();

    [GeneratedRegex(@"^\d{6}$")]
    private static partial Regex SixDigits();

    [GeneratedRegex(@"generated password (?<password>\S+)")]
    private static partial Regex GeneratedPassword();

    private sealed class TestDatabaseContextFactory(TestDatabase database) : IChatBotDbContextFactory
    {
        public ChatBotDbContext CreateDbContext() => database.CreateContext();
    }
}

public sealed class SqliteDemoSeedTests : DemoSeedTests
{
    protected override string Provider => "Sqlite";
    protected override Task<TestDatabase> CreateDatabaseAsync() => TestDatabase.CreateSqliteAsync(migrate: false);
}

public sealed class PostgresDemoSeedTests : DemoSeedTests
{
    protected override string Provider => "Postgres";
    protected override Task<TestDatabase> CreateDatabaseAsync() => TestDatabase.CreatePostgresAsync(migrate: false);
}
