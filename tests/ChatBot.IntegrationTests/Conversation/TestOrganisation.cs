using ChatBot.Core.Domain;
using ChatBot.Host.Data;

namespace ChatBot.IntegrationTests.Conversation;

/// <summary>A committee with one market branch, five members, a full-able activity, a lesson with a quiz and a task.</summary>
public sealed class TestOrganisation
{
    public required Organisation Committee { get; init; }
    public required Organisation Branch { get; init; }
    public required List<Member> Members { get; init; }
    public required Activity SmallActivity { get; init; }
    public required Activity OpenActivity { get; init; }
    public required ContentItem Lesson { get; init; }
    public required ContentItem Policy { get; init; }
    public required StudyTask Task { get; init; }
    public required GroupChat Group { get; init; }

    public static async Task<TestOrganisation> CreateAsync(ChatBotDbContext db, DateTime now)
    {
        var committee = new Organisation { Name = "测试个私党委", Kind = OrganisationKind.Committee, CreatedAt = now };
        db.Organisations.Add(committee);
        await db.SaveChangesAsync();
        committee.Path = OrganisationPath.Root.Child(committee.Id).Value;
        var branch = new Organisation { Name = "测试商圈党支部", Kind = OrganisationKind.MarketBranch, ParentId = committee.Id, CreatedAt = now };
        db.Organisations.Add(branch);
        await db.SaveChangesAsync();
        branch.Path = committee.TreePath.Child(branch.Id).Value;

        var members = new[] { "王建国", "李秀兰", "张伟", "刘芳", "陈明" }
            .Select((name, i) => new Member { Name = name, OrganisationId = branch.Id, Phone = $"1380000000{i}", CreatedAt = now })
            .ToList();
        db.Members.AddRange(members);

        foreach (var (code, name, pts, cap) in new (string, string, int, int?)[]
                 {
                     (PointsRuleCodes.LessonRead, "学习微党课", 1, 2), (PointsRuleCodes.QuizPassed, "答题通过", 2, 4),
                     (PointsRuleCodes.TaskCompleted, "完成学习任务", 5, null), (PointsRuleCodes.ActivityCheckIn, "参加活动签到", 3, null),
                 })
            db.PointsRules.Add(new PointsRule { Code = code, Name = name, Points = pts, DailyCap = cap });

        var small = new Activity
        {
            OrganisationId = branch.Id, Kind = ActivityKind.ThemeDay, Title = "主题党日：走访困难商户", Location = "商圈党群服务站",
            StartsAt = now.AddDays(2), EndsAt = now.AddDays(2).AddHours(2), SignUpDeadline = now.AddDays(1), Capacity = 2,
            CheckInCode = "246810", CreatedAt = now,
        };
        var open = new Activity
        {
            OrganisationId = committee.Id, Kind = ActivityKind.PartyLecture, Title = "党课：诚信经营", Location = "市场监管局三楼",
            StartsAt = now.AddDays(3), EndsAt = now.AddDays(3).AddHours(1), SignUpDeadline = now.AddDays(3), CheckInCode = "135790", CreatedAt = now,
        };
        db.Activities.AddRange(small, open);

        var lesson = new ContentItem
        {
            Kind = ContentKind.Lesson, Title = "诚信经营微党课", Summary = "守信是经营户的金字招牌。", BodyMarkdown = "## 诚信\n守信经营。",
            Status = ContentStatus.Published, EstimatedMinutes = 5, PublishedAt = now.AddDays(-1), CreatedAt = now, UpdatedAt = now,
            Questions =
            [
                new QuizQuestion { Order = 1, Text = "诚信经营的核心是？", OptionA = "明码标价", OptionB = "以次充好", OptionC = "缺斤少两", OptionD = "虚假宣传", CorrectOptions = "A" },
                new QuizQuestion { Order = 2, Text = "消费者投诉应当？", OptionA = "置之不理", OptionB = "及时妥善处理", CorrectOptions = "B" },
            ],
        };
        var policy = new ContentItem
        {
            Kind = ContentKind.Policy, Title = "个体工商户商标注册补贴申请指南", Summary = "注册商标的个体户可按规定申请补贴。",
            BodyMarkdown = "## 商标注册补贴\n个体工商户注册商标后可申请补贴。", Keywords = "商标 补贴 注册商标 奖励",
            Status = ContentStatus.Published, PublishedAt = now.AddDays(-2), CreatedAt = now, UpdatedAt = now,
        };
        db.ContentItems.AddRange(lesson, policy);
        await db.SaveChangesAsync();

        var task = new StudyTask { OrganisationId = branch.Id, Title = "学习诚信经营微党课", ContentItemId = lesson.Id, DueAt = now.AddDays(3), CreatedAt = now };
        db.StudyTasks.Add(task);
        await db.SaveChangesAsync();
        foreach (var m in members)
            db.StudyAssignments.Add(new StudyAssignment { StudyTaskId = task.Id, MemberId = m.Id });
        var group = new GroupChat { OrganisationId = branch.Id, Channel = Channel.DingTalk, Name = "商圈支部群", ConversationId = "cid-test-group", CreatedAt = now };
        db.GroupChats.Add(group);
        await db.SaveChangesAsync();

        return new TestOrganisation
        {
            Committee = committee, Branch = branch, Members = members, SmallActivity = small, OpenActivity = open,
            Lesson = lesson, Policy = policy, Task = task, Group = group,
        };
    }
}
