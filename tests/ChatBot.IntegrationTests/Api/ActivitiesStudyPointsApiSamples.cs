using System.Net.Http.Json;
using ChatBot.Core.Domain;
using ChatBot.Host.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ChatBot.IntegrationTests.Api;

/// <summary>Shared look-ups for the samples below: ids from the demo seed the walk test's host runs with.</summary>
internal static class DemoIds
{
    public static async Task<T> WithDbAsync<T>(ApiSampleContext context, Func<ChatBotDbContext, Task<T>> work)
    {
        await using var scope = context.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<ChatBotDbContext>());
    }

    public static Task<int> ActivityAsync(ApiSampleContext c) => WithDbAsync(c, db => db.Activities.OrderBy(a => a.Id).Select(a => a.Id).FirstAsync());
    public static Task<int> CommitteeAsync(ApiSampleContext c) => WithDbAsync(c, db => db.Organisations.Where(o => o.ParentId == null).Select(o => o.Id).FirstAsync());
    public static Task<int> MemberAsync(ApiSampleContext c) => WithDbAsync(c, db => db.Members.OrderBy(m => m.Id).Select(m => m.Id).FirstAsync());

    public static object Activity(int organisationId, string title) => new
    {
        organisationId, kind = "ThemeDay", title, location = "党群服务中心",
        startsAt = DateTime.UtcNow.AddDays(30), endsAt = DateTime.UtcNow.AddDays(30).AddHours(2), capacity = 20, signUpDeadline = DateTime.UtcNow.AddDays(29),
    };

    /// <summary>A pending manual credit requested by someone other than the sample's API key, so the key may decide it.</summary>
    public static Task<long> PendingEntryAsync(ApiSampleContext c) => WithDbAsync(c, async db =>
    {
        var rule = await db.PointsRules.SingleOrDefaultAsync(r => r.Code == PointsRuleCodes.Manual);
        if (rule is null)
        {
            rule = new PointsRule { Code = PointsRuleCodes.Manual, Name = "人工加减分", NeedsApproval = true };
            db.PointsRules.Add(rule);
            await db.SaveChangesAsync();
        }
        var entry = PointsEntry.ManualRequest(await db.Members.Select(m => m.Id).FirstAsync(), rule.Id, 3, "样例", null, "sample-requester", DateTime.UtcNow, Guid.NewGuid().ToString("N"));
        db.PointsEntries.Add(entry);
        await db.SaveChangesAsync();
        return entry.Id;
    });
}

public sealed class ActivitiesApiSamples : IApiSampleSet
{
    public IEnumerable<ApiSample> Samples() =>
    [
        new("GET", "/api/v1/activities", 200, _ => Task.FromResult(new HttpRequestMessage(HttpMethod.Get, "/api/v1/activities?filter=all&page=1&pageSize=10"))),
        new("POST", "/api/v1/activities", 201, async c => new HttpRequestMessage(HttpMethod.Post, "/api/v1/activities")
            { Content = JsonContent.Create(DemoIds.Activity(await DemoIds.CommitteeAsync(c), "API 样例活动")) }),
        new("GET", "/api/v1/activities/{id}", 200, async c => new HttpRequestMessage(HttpMethod.Get, $"/api/v1/activities/{await DemoIds.ActivityAsync(c)}")),
        new("PUT", "/api/v1/activities/{id}", 200, async c =>
        {
            var org = await DemoIds.CommitteeAsync(c);
            var id = await DemoIds.WithDbAsync(c, async db =>
            {
                var a = new Activity { Title = "待修改", OrganisationId = org, StartsAt = DateTime.UtcNow.AddDays(10), EndsAt = DateTime.UtcNow.AddDays(10).AddHours(1), SignUpDeadline = DateTime.UtcNow.AddDays(9), CreatedAt = DateTime.UtcNow };
                db.Activities.Add(a);
                await db.SaveChangesAsync();
                return a.Id;
            });
            return new HttpRequestMessage(HttpMethod.Put, $"/api/v1/activities/{id}") { Content = JsonContent.Create(DemoIds.Activity(org, "已修改")) };
        }),
        new("POST", "/api/v1/activities/{id}/cancel", 200, async c =>
        {
            var org = await DemoIds.CommitteeAsync(c);
            var id = await DemoIds.WithDbAsync(c, async db =>
            {
                var a = new Activity { Title = "将取消", OrganisationId = org, StartsAt = DateTime.UtcNow.AddDays(10), EndsAt = DateTime.UtcNow.AddDays(10).AddHours(1), SignUpDeadline = DateTime.UtcNow.AddDays(9), CreatedAt = DateTime.UtcNow };
                db.Activities.Add(a);
                await db.SaveChangesAsync();
                return a.Id;
            });
            return new HttpRequestMessage(HttpMethod.Post, $"/api/v1/activities/{id}/cancel") { Content = JsonContent.Create(new { reason = "天气原因" }) };
        }),
        new("GET", "/api/v1/activities/{id}/signups", 200, async c => new HttpRequestMessage(HttpMethod.Get, $"/api/v1/activities/{await DemoIds.ActivityAsync(c)}/signups")),
        new("POST", "/api/v1/activities/{id}/signups/{signUpId}/no-show", 404, _ =>
            Task.FromResult(new HttpRequestMessage(HttpMethod.Post, "/api/v1/activities/999999/signups/1/no-show") { Content = JsonContent.Create(new { noShow = true }) })),
    ];
}

public sealed class StudyApiSamples : IApiSampleSet
{
    public IEnumerable<ApiSample> Samples() =>
    [
        new("GET", "/api/v1/study-tasks", 200, _ => Task.FromResult(new HttpRequestMessage(HttpMethod.Get, "/api/v1/study-tasks"))),
        new("POST", "/api/v1/study-tasks", 201, async c =>
        {
            var lesson = await DemoIds.WithDbAsync(c, db => db.ContentItems.Where(x => x.Kind == ContentKind.Lesson && x.Status == ContentStatus.Published).Select(x => x.Id).FirstAsync());
            return new HttpRequestMessage(HttpMethod.Post, "/api/v1/study-tasks")
            {
                Content = JsonContent.Create(new { lessonId = lesson, organisationIds = new[] { await DemoIds.CommitteeAsync(c) }, dueAt = DateTime.UtcNow.AddDays(7), passScore = 60 }),
            };
        }),
        new("GET", "/api/v1/study-tasks/{id}", 200, async c => new HttpRequestMessage(HttpMethod.Get, $"/api/v1/study-tasks/{await DemoIds.WithDbAsync(c, db => db.StudyTasks.Select(t => t.Id).FirstAsync())}")),
        new("POST", "/api/v1/study-tasks/{id}/remind", 200, async c => new HttpRequestMessage(HttpMethod.Post, $"/api/v1/study-tasks/{await DemoIds.WithDbAsync(c, db => db.StudyTasks.Select(t => t.Id).FirstAsync())}/remind")),
    ];
}

public sealed class PointsApiSamples : IApiSampleSet
{
    public IEnumerable<ApiSample> Samples() =>
    [
        new("GET", "/api/v1/points/rules", 200, _ => Task.FromResult(new HttpRequestMessage(HttpMethod.Get, "/api/v1/points/rules"))),
        new("POST", "/api/v1/points/rules", 201, _ => Task.FromResult(new HttpRequestMessage(HttpMethod.Post, "/api/v1/points/rules")
            { Content = JsonContent.Create(new { code = "sample." + Guid.NewGuid().ToString("N")[..8], name = "样例规则", points = 2, needsApproval = false, active = true }) })),
        new("PUT", "/api/v1/points/rules/{id}", 200, async c =>
        {
            var id = await DemoIds.WithDbAsync(c, db => db.PointsRules.Where(r => r.Code == PointsRuleCodes.Volunteer).Select(r => r.Id).FirstAsync());
            return new HttpRequestMessage(HttpMethod.Put, $"/api/v1/points/rules/{id}") { Content = JsonContent.Create(new { name = "参加志愿服务", points = 5, needsApproval = true, active = true }) };
        }),
        new("GET", "/api/v1/points/entries/pending", 200, _ => Task.FromResult(new HttpRequestMessage(HttpMethod.Get, "/api/v1/points/entries/pending"))),
        new("POST", "/api/v1/points/entries", 201, async c => new HttpRequestMessage(HttpMethod.Post, "/api/v1/points/entries")
            { Content = JsonContent.Create(new { memberId = await DemoIds.MemberAsync(c), points = 5, reason = "志愿服务", evidence = "https://example.org/p/1" }) }),
        new("POST", "/api/v1/points/entries/{id}/approve", 200, async c => new HttpRequestMessage(HttpMethod.Post, $"/api/v1/points/entries/{await DemoIds.PendingEntryAsync(c)}/approve") { Content = JsonContent.Create(new { note = "核实" }) }),
        new("POST", "/api/v1/points/entries/{id}/reject", 200, async c => new HttpRequestMessage(HttpMethod.Post, $"/api/v1/points/entries/{await DemoIds.PendingEntryAsync(c)}/reject") { Content = JsonContent.Create(new { note = "证据不足" }) }),
        new("POST", "/api/v1/points/entries/{id}/reverse", 200, async c =>
        {
            var id = await DemoIds.PendingEntryAsync(c);
            await DemoIds.WithDbAsync(c, async db =>
            {
                var e = await db.PointsEntries.SingleAsync(x => x.Id == id);
                e.Decide("sample-approver", true, null, DateTime.UtcNow);
                return await db.SaveChangesAsync();
            });
            return new HttpRequestMessage(HttpMethod.Post, $"/api/v1/points/entries/{id}/reverse") { Content = JsonContent.Create(new { reason = "录入错误" }) };
        }),
        new("GET", "/api/v1/points/members/{memberId}", 200, async c => new HttpRequestMessage(HttpMethod.Get, $"/api/v1/points/members/{await DemoIds.MemberAsync(c)}")),
        new("GET", "/api/v1/points/branches", 200, _ => Task.FromResult(new HttpRequestMessage(HttpMethod.Get, "/api/v1/points/branches"))),
    ];
}
