using ChatBot.Core.Domain;
using ChatBot.Host.Data;

namespace ChatBot.IntegrationTests.Data;

/// <summary>Small builders for rows the persistence tests need as parents; every name is unique per call.</summary>
internal static class TestData
{
    /// <summary>A UTC instant with microsecond precision, which both providers store exactly.</summary>
    public static readonly DateTime At = new DateTime(2026, 11, 23, 8, 30, 15, 123, DateTimeKind.Utc).AddTicks(4560);

    public static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];

    public static async Task<Organisation> AddOrganisationAsync(
        ChatBotDbContext db, Organisation? parent = null, OrganisationKind kind = OrganisationKind.MarketBranch)
    {
        var organisation = new Organisation { Name = Unique("支部"), Kind = kind, Parent = parent, CreatedAt = At };
        db.Organisations.Add(organisation);
        await db.SaveChangesAsync();
        organisation.Path = (parent?.TreePath ?? OrganisationPath.Root).Child(organisation.Id).Value;
        await db.SaveChangesAsync();
        return organisation;
    }

    public static async Task<Member> AddMemberAsync(ChatBotDbContext db, Organisation? organisation = null)
    {
        organisation ??= await AddOrganisationAsync(db);
        var member = new Member { Name = Unique("党员"), Organisation = organisation, CreatedAt = At };
        db.Members.Add(member);
        await db.SaveChangesAsync();
        return member;
    }

    public static async Task<Activity> AddActivityAsync(ChatBotDbContext db, Organisation organisation, int? capacity = null)
    {
        var activity = new Activity
        {
            Organisation = organisation, Kind = ActivityKind.ThemeDay, Title = Unique("主题党日"),
            StartsAt = At.AddDays(3), EndsAt = At.AddDays(3).AddHours(2), SignUpDeadline = At.AddDays(2),
            Capacity = capacity, CreatedAt = At,
        };
        db.Activities.Add(activity);
        await db.SaveChangesAsync();
        return activity;
    }

    public static async Task<PointsRule> AddPointsRuleAsync(ChatBotDbContext db)
    {
        var rule = new PointsRule { Code = Unique("rule"), Name = "测试规则", Points = 2, DailyCap = 4 };
        db.PointsRules.Add(rule);
        await db.SaveChangesAsync();
        return rule;
    }

    public static async Task<ContentItem> AddLessonAsync(ChatBotDbContext db)
    {
        var lesson = new ContentItem
        {
            Kind = ContentKind.Lesson, Status = ContentStatus.Published, Title = Unique("微党课"),
            CreatedAt = At, UpdatedAt = At, PublishedAt = At,
        };
        db.ContentItems.Add(lesson);
        await db.SaveChangesAsync();
        return lesson;
    }

    public static async Task<StudyTask> AddStudyTaskAsync(ChatBotDbContext db, Organisation organisation)
    {
        var task = new StudyTask
        {
            OrganisationId = organisation.Id, Title = Unique("学习任务"), ContentItem = await AddLessonAsync(db),
            DueAt = At.AddDays(4), CreatedAt = At,
        };
        db.StudyTasks.Add(task);
        await db.SaveChangesAsync();
        return task;
    }
}
