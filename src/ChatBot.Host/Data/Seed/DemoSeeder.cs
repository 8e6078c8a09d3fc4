using System.Security.Cryptography;
using ChatBot.Core.Demo;
using ChatBot.Core.Domain;
using ChatBot.Host.Configuration;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ChatBot.Host.Data.Seed;

/// <summary>
/// Fills an empty database with a demo committee so a fresh <c>dotnet run</c> has something to talk about:
/// branches of every kind, members, points rules, content, upcoming activities, a study task, two console users
/// and binding codes. Runs only while the database has no organisation, so a restart never seeds twice.
/// </summary>
internal sealed class DemoSeeder(
    TimeProvider time,
    IOptions<DemoOptions> demoOptions,
    IOptions<SchedulingOptions> schedulingOptions,
    DemoSecretsConsole console,
    ILogger<DemoSeeder> logger,
    DemoLogins? logins = null)
{
    public const string AdminUserName = "admin";
    public const string SecretaryUserName = "shuji";
    private const string PasswordAlphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    /// <summary>Seeds when the database has no organisation; returns whether it did.</summary>
    public async Task<bool> SeedIfEmptyAsync(ChatBotDbContext db, CancellationToken cancellationToken)
    {
        if (await db.Organisations.AnyAsync(cancellationToken)) return false;

        var generatedPasswords = new List<(string UserName, string Password)>();
        var branchName = DemoRoster.Branches.First(b => b.Key == "market").Name;
        var bindingCodes = new List<BindingCode>();
        try
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await SeedAsync(db, generatedPasswords, bindingCodes, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Several instances started on one empty database: the unique user names and rule codes let one win.
            if (!await AnotherInstanceSeededAsync(db, cancellationToken)) throw;
            logger.LogInformation("Demo data was seeded by another instance meanwhile; skipping");
            return false;
        }

        logger.LogInformation("Seeded the demo committee {Committee}; the demo sign-in secrets and binding codes are printed once on standard output",
            DemoRoster.CommitteeName);
        // Shown once on the console, so a tester can sign in; not through the logger: log files and collectors keep
        // them, and these are credentials. They are not stored anywhere in clear text. In the host the startup banner
        // prints them next to the console's address, once the server listens; elsewhere they are printed here.
        if (logins is not null)
            logins.Add(generatedPasswords.Select(p => new DemoLogin(p.UserName, p.Password, p.UserName == AdminUserName ? "超级管理员" : "支部书记 · " + branchName)));
        else foreach (var (userName, password) in generatedPasswords)
            console.WriteLine(
                $"Demo console user {userName} has the generated password {password} (set Demo:AdminPassword / Demo:SecretaryPassword to choose one). It is shown only now.");
        foreach (var code in bindingCodes)
            console.WriteLine(
                $"Demo binding code {code.Code} binds member #{code.MemberId} {code.Member?.Name}: send 绑定 {code.Code} to the bot (valid until {code.ExpiresAt:u}).");
        return true;
    }

    /// <summary>Whether the demo's console user and committee are in this database (seeded now or earlier).</summary>
    public static async Task<bool> HasDemoDataAsync(ChatBotDbContext db, CancellationToken cancellationToken) =>
        await db.AdminUsers.AnyAsync(u => u.UserName == AdminUserName, cancellationToken)
        && await db.Organisations.AnyAsync(o => o.Name == DemoRoster.CommitteeName, cancellationToken);

    private async Task<bool> AnotherInstanceSeededAsync(ChatBotDbContext db, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        return await db.Organisations.AnyAsync(cancellationToken);
    }

    private async Task SeedAsync(
        ChatBotDbContext db, List<(string, string)> generatedPasswords, List<BindingCode> bindingCodes, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;

        db.PointsRules.AddRange(DemoRoster.PointsRules.Select(r => new PointsRule
        {
            Code = r.Code, Name = r.Name, Points = r.Points, DailyCap = r.DailyCap, NeedsApproval = r.NeedsApproval,
        }));

        var committee = new Organisation { Name = DemoRoster.CommitteeName, Kind = OrganisationKind.Committee, CreatedAt = now };
        db.Organisations.Add(committee);
        await db.SaveChangesAsync(cancellationToken);
        committee.Path = OrganisationPath.Root.Child(committee.Id).Value;

        var branches = DemoRoster.Branches.ToDictionary(b => b.Key, b => new Organisation
        {
            Name = b.Name, Kind = b.Kind, Parent = committee, CreatedAt = now,
        });
        db.Organisations.AddRange(branches.Values);
        await db.SaveChangesAsync(cancellationToken);
        foreach (var branch in branches.Values) branch.Path = committee.TreePath.Child(branch.Id).Value;

        var members = DemoRoster.Branches.ToDictionary(b => b.Key, b => b.Members.Select(m => new Member
        {
            Organisation = branches[b.Key],
            Name = m.Name,
            Status = m.Status,
            IsMobile = m.IsMobile,
            BusinessName = m.BusinessName,
            Phone = m.Phone,
            CreatedAt = now,
        }).ToList());
        db.Members.AddRange(members.Values.SelectMany(m => m));

        db.ContentItems.AddRange(DemoContent.Policies(now));
        var lessons = DemoContent.Lessons(now);
        db.ContentItems.AddRange(lessons);

        db.Activities.AddRange(UpcomingActivities(committee, branches, now));

        var studyTask = new StudyTask
        {
            OrganisationId = committee.Id,
            Title = "学习任务：" + lessons[0].Title,
            ContentItem = lessons[0],
            DueAt = LocalTimeToUtc(now, days: 4, new TimeOnly(20, 0)),
            CreatedAt = now,
        };
        db.StudyTasks.Add(studyTask);
        db.StudyAssignments.AddRange(members["market"].Concat(members["central"]).Select(m => new StudyAssignment
        {
            StudyTask = studyTask, Member = m, Status = AssignmentStatus.Pending,
        }));

        var demo = demoOptions.Value;
        db.AdminUsers.Add(ConsoleUser(AdminUserName, "党委管理员", AdminRole.Admin, committee, demo.AdminPassword, generatedPasswords, now));
        var secretary = ConsoleUser(SecretaryUserName, "商圈党支部书记 王建华", AdminRole.Secretary, branches["market"],
            demo.SecretaryPassword, generatedPasswords, now);
        db.AdminUsers.Add(secretary);

        foreach (var member in new[] { members["market"][0], members["central"][0] })
        {
            var code = new BindingCode { Code = SixDigits(), Member = member, ExpiresAt = now.AddDays(7), CreatedAt = now };
            bindingCodes.Add(code);
            db.BindingCodes.Add(code);
        }

        await db.SaveChangesAsync(cancellationToken);
        // 王建华 is the secretary: cadence alerts for the account go through his member route once he binds.
        secretary.MemberId = members["market"][0].Id;
        await db.SaveChangesAsync(cancellationToken);
    }

    private IEnumerable<Activity> UpcomingActivities(Organisation committee, Dictionary<string, Organisation> branches, DateTime now)
    {
        var themeDayStart = LocalTimeToUtc(now, days: 5, new TimeOnly(14, 30));
        yield return new Activity
        {
            Organisation = branches["market"],
            Kind = ActivityKind.ThemeDay,
            Title = "主题党日：党员经营户亮身份、践承诺",
            Description = "重温入党誓词，交流诚信经营做法，为党员经营户统一挂牌亮身份。名额有限，先报先得。",
            Location = "青溪小商品市场三楼党群服务站",
            StartsAt = themeDayStart,
            EndsAt = themeDayStart.AddHours(2),
            Capacity = 5,
            SignUpDeadline = themeDayStart.AddDays(-1),
            CheckInCode = SixDigits(),
            CreatedAt = now,
        };

        var assemblyStart = LocalTimeToUtc(now, days: 7, new TimeOnly(19, 30));
        yield return new Activity
        {
            Organisation = branches["joint"],
            Kind = ActivityKind.BranchAssembly,
            Title = "支部党员大会：讨论本季度党员积分评定",
            Description = "通报本季度组织生活和学习情况，讨论党员积分评定结果。安排在打烊后召开。",
            Location = "卫东面馆二楼会议室",
            StartsAt = assemblyStart,
            EndsAt = assemblyStart.AddMinutes(90),
            SignUpDeadline = assemblyStart,
            CheckInCode = SixDigits(),
            CreatedAt = now,
        };

        var volunteerStart = LocalTimeToUtc(now, days: 10, new TimeOnly(9, 0));
        yield return new Activity
        {
            Organisation = committee,
            Kind = ActivityKind.Volunteer,
            Title = "光彩助农：帮农户直播卖秋茶",
            Description = "党员经营户结对帮扶茶农，现场协助直播带货、包装发货。参加可获志愿服务积分（需审核）。",
            Location = "青溪区云岭村茶叶合作社",
            StartsAt = volunteerStart,
            EndsAt = volunteerStart.AddHours(4),
            Capacity = 20,
            SignUpDeadline = volunteerStart.AddDays(-2),
            CheckInCode = SixDigits(),
            CreatedAt = now,
        };

        var lectureStart = LocalTimeToUtc(now, days: 3, new TimeOnly(15, 0));
        yield return new Activity
        {
            Organisation = branches["central"],
            Kind = ActivityKind.PartyLecture,
            Title = "党课：流动党员安全责任与诚信经营",
            Description = "面向流动党员的线上线下结合党课，外地党员可在线收看后签到。",
            Location = "区个私党委党员活动室（同步线上直播）",
            StartsAt = lectureStart,
            EndsAt = lectureStart.AddHours(1),
            SignUpDeadline = lectureStart,
            CheckInCode = SixDigits(),
            CreatedAt = now,
        };
    }

    /// <summary>A wall-clock time some days from now in <c>Scheduling:TimeZone</c>, as UTC.</summary>
    private DateTime LocalTimeToUtc(DateTime nowUtc, int days, TimeOnly localTime)
    {
        var zone = schedulingOptions.Value.ResolveTimeZone();
        var localDate = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(nowUtc, zone)).AddDays(days);
        var local = DateTime.SpecifyKind(localDate.ToDateTime(localTime), DateTimeKind.Unspecified);
        return TimeZoneInfo.ConvertTimeToUtc(local, zone);
    }

    private static AdminUser ConsoleUser(
        string userName, string displayName, AdminRole role, Organisation organisation, string configuredPassword,
        List<(string, string)> generatedPasswords, DateTime now)
    {
        var password = configuredPassword;
        if (string.IsNullOrWhiteSpace(password))
        {
            password = RandomNumberGenerator.GetString(PasswordAlphabet, 16);
            generatedPasswords.Add((userName, password));
        }
        var user = new AdminUser
        {
            UserName = userName, PasswordHash = "", DisplayName = displayName, Role = role, OrganisationId = organisation.Id, CreatedAt = now,
            SecurityStamp = Guid.NewGuid().ToString("N"),
        };
        user.PasswordHash = new PasswordHasher<AdminUser>().HashPassword(user, password);
        return user;
    }

    private static string SixDigits() => RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
}
