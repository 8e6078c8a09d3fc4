using System.Net;
using ChatBot.Core.Domain;
using ChatBot.Host.Features;
using ChatBot.IntegrationTests.Conversation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ChatBot.IntegrationTests.MemberPages;

/// <summary>
/// The member pages over HTTP on the real host: links from chat, tokens that expire, are revoked by 解绑 and cannot be
/// tampered with, GET that never changes anything, and POSTs that need the token in the form and a same-site origin.
/// </summary>
public sealed class MemberPageTests : IAsyncLifetime
{
    private EngineHarness _h = null!;

    public async Task InitializeAsync() => _h = await EngineHarness.StartSqliteAsync();
    public async Task DisposeAsync() => await _h.DisposeAsync();

    private SignedMemberLinks Links => _h.Services.GetRequiredService<SignedMemberLinks>();
    private int Member(int i) => _h.Data.Members[i].Id;

    private static string PathOf(string url) => new Uri(url).PathAndQuery;
    private static string TokenOf(string url) => Uri.UnescapeDataString(new Uri(url).Query.TrimStart('?')["t=".Length..]);

    private static async Task<(HttpStatusCode Status, string Body)> GetAsync(HttpClient client, string path)
    {
        var response = await client.GetAsync(path);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static async Task<(HttpStatusCode Status, string Body)> PostAsync(HttpClient client, string path,
        IEnumerable<KeyValuePair<string, string>> form, string? fetchSite = "same-origin", string? origin = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(form) };
        if (fetchSite is not null) request.Headers.Add("Sec-Fetch-Site", fetchSite);
        if (origin is not null) request.Headers.Add("Origin", origin);
        var response = await client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static KeyValuePair<string, string>[] Token(string token, params (string Key, string Value)[] more) =>
        [new("t", token), .. more.Select(m => new KeyValuePair<string, string>(m.Key, m.Value))];

    private Task<List<PointsEntry>> EntriesAsync(int memberId) =>
        _h.WithDbAsync(db => db.PointsEntries.Include(e => e.PointsRule).Where(e => e.MemberId == memberId).ToListAsync());

    private async Task<string> LessonLinkFromChatAsync(string sender, int memberIndex)
    {
        await _h.BindAsync(sender, Member(memberIndex));
        var reply = await _h.SendAsync(sender, "学习");
        return reply.Split('\n').Select(l => l.Trim()).First(l => l.Contains("/m/lessons/")).Split("：").Last();
    }

    [Fact]
    public async Task LessonGet_CreditsNothing_EvenOpenedRepeatedly_AndCompletePostCreditsOnce()
    {
        var url = await LessonLinkFromChatAsync("wx-a", 0);
        var client = _h.CreateClient();

        for (var i = 0; i < 3; i++)
        {
            var (status, body) = await GetAsync(client, PathOf(url));
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Contains("完成学习", body);
        }
        Assert.Empty(await EntriesAsync(Member(0)));

        var path = $"/m/lessons/{_h.Data.Lesson.Id}/complete";
        var first = await PostAsync(client, path, Token(TokenOf(url)));
        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Contains("已完成学习，积分 +1", first.Body);
        var again = await PostAsync(client, path, Token(TokenOf(url)));
        Assert.Contains("您已完成本课学习", again.Body);

        var entry = Assert.Single(await EntriesAsync(Member(0)));
        Assert.Equal((PointsRuleCodes.LessonRead, $"lesson:{_h.Data.Lesson.Id}", 1), (entry.PointsRule!.Code, entry.SourceKey, entry.Points));
        // After completing, opening the page shows it as done (and still credits nothing).
        Assert.Contains("您已完成本课学习", (await GetAsync(client, PathOf(url))).Body);
        Assert.Single(await EntriesAsync(Member(0)));
    }

    [Fact]
    public async Task CompletePost_NeedsTheTokenInTheForm_AndASameSiteOrigin()
    {
        var url = await LessonLinkFromChatAsync("wx-b", 0);
        var client = _h.CreateClient();
        var path = $"/m/lessons/{_h.Data.Lesson.Id}/complete";

        // The token in the query string (what a forwarded link carries) is not enough: it must be in the form.
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(client, path + "?t=" + Uri.EscapeDataString(TokenOf(url)), [])).Status);
        // Posted from another site (browser metadata or Origin), even with the right token.
        var crossSite = await PostAsync(client, path, Token(TokenOf(url)), fetchSite: "cross-site");
        Assert.Equal(HttpStatusCode.Forbidden, crossSite.Status);
        Assert.Contains("请求未被接受", crossSite.Body);
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(client, path, Token(TokenOf(url)), fetchSite: null, origin: "https://evil.example")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(client, path, Token(TokenOf(url)), fetchSite: null, origin: "null")).Status);
        Assert.Empty(await EntriesAsync(Member(0)));

        // Same origin by Origin header alone (no Sec-Fetch-Site) is accepted.
        var ok = await PostAsync(client, path, Token(TokenOf(url)), fetchSite: null, origin: "http://localhost");
        Assert.Equal(HttpStatusCode.OK, ok.Status);
        Assert.Single(await EntriesAsync(Member(0)));
    }

    [Fact]
    public async Task Pages_SendNoStoreAndSameOriginReferrer()
    {
        var url = await LessonLinkFromChatAsync("wx-c", 0);
        var response = await _h.CreateClient().GetAsync(PathOf(url));
        Assert.Equal("same-origin", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.Contains("no-store", response.Headers.CacheControl!.ToString());
        Assert.DoesNotContain("<script", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Token_Expires_IsRefusedWhenTampered_AndOnlyOpensItsOwnPage()
    {
        var url = await LessonLinkFromChatAsync("wx-d", 0);
        var client = _h.CreateClient();
        var token = TokenOf(url);

        var tampered = token[..^3] + (token[^3] == 'A' ? 'B' : 'A') + token[^2..];
        var bad = await GetAsync(client, $"/m/lessons/{_h.Data.Lesson.Id}?t={Uri.EscapeDataString(tampered)}");
        Assert.Equal(HttpStatusCode.Forbidden, bad.Status);
        Assert.Contains("链接已失效", bad.Body);
        Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync(client, $"/m/lessons/{_h.Data.Lesson.Id}")).Status);
        // A lesson token opens neither another page nor another lesson's page.
        Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync(client, $"/m/points?t={Uri.EscapeDataString(token)}")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync(client, $"/m/tasks?t={Uri.EscapeDataString(token)}")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync(client, $"/m/activities/{_h.Data.SmallActivity.Id}?t={Uri.EscapeDataString(token)}")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync(client, $"/m/lessons/{_h.Data.Lesson.Id + 1000}?t={Uri.EscapeDataString(token)}")).Status);

        Assert.Equal(HttpStatusCode.OK, (await GetAsync(client, PathOf(url))).Status);
        // The harness clock decides: one second before the 7-day lifetime ends it works, at the end it is refused.
        _h.Time.Advance(TimeSpan.FromDays(7) - TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(client, PathOf(url))).Status);
        _h.Time.Advance(TimeSpan.FromSeconds(1));
        var expired = await GetAsync(client, PathOf(url));
        Assert.Equal(HttpStatusCode.Forbidden, expired.Status);
        Assert.Contains("链接已过期", expired.Body);
        var post = await PostAsync(client, $"/m/lessons/{_h.Data.Lesson.Id}/complete", Token(token));
        Assert.Equal(HttpStatusCode.Forbidden, post.Status);
        Assert.Empty(await EntriesAsync(Member(0)));
    }

    [Fact]
    public async Task Unbind_RevokesEveryEarlierLink_AndANewBindingGetsFreshOnesOnly()
    {
        var url = await LessonLinkFromChatAsync("wx-e", 1);
        var points = Links.Points(Member(1));
        var client = _h.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(client, PathOf(points))).Status);

        await _h.SendAsync("wx-e", "解绑");
        Assert.Contains("已解除绑定", await _h.SendAsync("wx-e", "确认"));

        foreach (var old in new[] { url, points })
        {
            var (status, body) = await GetAsync(client, PathOf(old));
            Assert.Equal(HttpStatusCode.Forbidden, status);
            Assert.Contains("链接已停用", body);
            Assert.DoesNotContain(_h.Data.Lesson.Title, body);
        }
        Assert.Equal(HttpStatusCode.Forbidden,
            (await PostAsync(client, $"/m/lessons/{_h.Data.Lesson.Id}/complete", Token(TokenOf(url)))).Status);
        Assert.Empty(await EntriesAsync(Member(1)));

        // Bound again (later): the new link works, the old one stays dead.
        _h.Time.Advance(TimeSpan.FromMinutes(1));
        var fresh = await LessonLinkFromChatAsync("wx-e", 1);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(client, PathOf(fresh))).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync(client, PathOf(url))).Status);
    }

    [Fact]
    public async Task QuizOnThePage_IsGradedByTheStudyService_AndCompletesTheTaskLikeChat()
    {
        var url = await LessonLinkFromChatAsync("wx-f", 2);
        var client = _h.CreateClient();
        var page = (await GetAsync(client, PathOf(url))).Body;
        var questions = await _h.WithDbAsync(db => db.QuizQuestions.Where(q => q.ContentItemId == _h.Data.Lesson.Id).OrderBy(q => q.Order).ToListAsync());
        Assert.All(questions, q => Assert.Contains($"name=\"q{q.Id}\"", page));

        // One wrong: 50 < 60, not passed, nothing credited, the task stays open.
        var half = await PostAsync(client, $"/m/lessons/{_h.Data.Lesson.Id}/quiz",
            Token(TokenOf(url), ($"q{questions[0].Id}", "A"), ($"q{questions[1].Id}", "A")));
        Assert.Equal(HttpStatusCode.OK, half.Status);
        Assert.Contains("答题结果：50 分", half.Body);
        Assert.Contains("未通过", half.Body);
        Assert.Contains("正确答案：B. 及时妥善处理", half.Body);
        Assert.Empty(await EntriesAsync(Member(2)));

        var full = await PostAsync(client, $"/m/lessons/{_h.Data.Lesson.Id}/quiz",
            Token(TokenOf(url), ($"q{questions[0].Id}", "A"), ($"q{questions[1].Id}", "B")));
        Assert.Contains("答题结果：100 分", full.Body);
        Assert.Contains("学习任务已完成", full.Body);
        Assert.Contains("积分 +7", full.Body);
        var codes = (await EntriesAsync(Member(2))).Select(e => e.PointsRule!.Code).Order().ToList();
        Assert.Equal([PointsRuleCodes.QuizPassed, PointsRuleCodes.TaskCompleted], codes);
        var assignment = await _h.WithDbAsync(db => db.StudyAssignments.SingleAsync(a => a.MemberId == Member(2)));
        Assert.Equal((AssignmentStatus.Completed, 100), (assignment.Status, assignment.Score));

        // Answering again (a reload) credits nothing more; chat agrees the task is done.
        await PostAsync(client, $"/m/lessons/{_h.Data.Lesson.Id}/quiz", Token(TokenOf(url), ($"q{questions[0].Id}", "A"), ($"q{questions[1].Id}", "B")));
        Assert.Equal(2, (await EntriesAsync(Member(2))).Count);
        Assert.Contains("已完成 1/1", await _h.SendAsync("wx-f", "任务"));
    }

    [Fact]
    public async Task ActivityPage_SignsUpThroughTheService_ShowsTheWaitlistPosition_AndCancelPromotes()
    {
        var client = _h.CreateClient();
        var id = _h.Data.SmallActivity.Id; // capacity 2
        for (var i = 0; i < 4; i++) await _h.BindAsync($"wx-act{i}", Member(i));
        string Link(int i) => Links.Activity(Member(i), id);

        Assert.Contains("您还没有报名", (await GetAsync(client, PathOf(Link(0)))).Body);
        Assert.Contains("报名成功", (await PostAsync(client, $"/m/activities/{id}/signup", Token(TokenOf(Link(0))))).Body);
        Assert.Contains("报名成功", (await PostAsync(client, $"/m/activities/{id}/signup", Token(TokenOf(Link(1))))).Body);
        var third = await PostAsync(client, $"/m/activities/{id}/signup", Token(TokenOf(Link(2))));
        Assert.Contains("已进入候补，排第 1 位", third.Body);
        await PostAsync(client, $"/m/activities/{id}/signup", Token(TokenOf(Link(3))));
        var fourth = await GetAsync(client, PathOf(Link(3)));
        Assert.Contains("id=\"waitlist-position\">2<", fourth.Body);
        Assert.Contains("已报 2/2", fourth.Body);
        Assert.Contains("候补 2 人", fourth.Body);

        var cancelled = await PostAsync(client, $"/m/activities/{id}/cancel", Token(TokenOf(Link(0))));
        Assert.Contains("已取消报名", cancelled.Body);
        var statuses = await _h.WithDbAsync(db => db.SignUps.Where(s => s.ActivityId == id).ToDictionaryAsync(s => s.MemberId, s => s.Status));
        Assert.Equal(SignUpStatus.Registered, statuses[Member(2)]);
        Assert.Equal(SignUpStatus.Waitlisted, statuses[Member(3)]);
        Assert.Contains("id=\"waitlist-position\">1<", (await GetAsync(client, PathOf(Link(3)))).Body);
        // The promoted member is told, as when someone cancels in chat.
        Assert.True(await _h.WithDbAsync(db => db.Deliveries.AnyAsync(d => d.MemberId == Member(2) && d.IdempotencyKey.Contains($"promoted:{id}:"))));
    }

    [Fact]
    public async Task ActivityPage_ChecksInWhileTheWindowIsOpen()
    {
        var client = _h.CreateClient();
        var id = _h.Data.SmallActivity.Id;
        await _h.BindAsync("wx-ci", Member(0));
        var link = Links.Activity(Member(0), id);
        await PostAsync(client, $"/m/activities/{id}/signup", Token(TokenOf(link)));
        Assert.DoesNotContain("id=\"check-in\"", (await GetAsync(client, PathOf(link))).Body);

        _h.Time.Advance(TimeSpan.FromDays(2) - TimeSpan.FromMinutes(10)); // 10 minutes before the start
        link = Links.Activity(Member(0), id);
        Assert.Contains("id=\"check-in\"", (await GetAsync(client, PathOf(link))).Body);
        Assert.Contains("签到码不正确", (await PostAsync(client, $"/m/activities/{id}/checkin", Token(TokenOf(link), ("code", "000000")))).Body);
        var ok = await PostAsync(client, $"/m/activities/{id}/checkin", Token(TokenOf(link), ("code", "246810")));
        Assert.Contains("签到成功", ok.Body);
        Assert.Contains("您已签到", ok.Body);
        Assert.Equal(PointsRuleCodes.ActivityCheckIn, Assert.Single(await EntriesAsync(Member(0))).PointsRule!.Code);
    }

    [Fact]
    public async Task ActivityOfAnotherBranch_IsNotFound()
    {
        var other = await _h.WithDbAsync(async db =>
        {
            var org = new Organisation { Name = "别的支部", Kind = OrganisationKind.MarketBranch, ParentId = _h.Data.Committee.Id, CreatedAt = DateTime.UtcNow };
            db.Organisations.Add(org);
            await db.SaveChangesAsync();
            org.Path = _h.Data.Committee.TreePath.Child(org.Id).Value;
            var a = new Activity { OrganisationId = org.Id, Title = "别处的活动", Location = "别处", StartsAt = _h.Data.SmallActivity.StartsAt,
                EndsAt = _h.Data.SmallActivity.EndsAt, SignUpDeadline = _h.Data.SmallActivity.SignUpDeadline, CreatedAt = DateTime.UtcNow };
            db.Activities.Add(a);
            await db.SaveChangesAsync();
            return a.Id;
        });
        await _h.BindAsync("wx-other", Member(0));
        var (status, body) = await GetAsync(_h.CreateClient(), PathOf(Links.Activity(Member(0), other)));
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.DoesNotContain("别处的活动", body);
    }

    [Fact]
    public async Task TasksAndPoints_ShowOnlyTheTokenHoldersRows_WithDueDatesAndExplanations()
    {
        await _h.BindAsync("wx-g", Member(3));
        await _h.BindAsync("wx-h", Member(4));
        var client = _h.CreateClient();
        var lessonLink = Links.Lesson(Member(3), _h.Data.Lesson.Id);
        await PostAsync(client, $"/m/lessons/{_h.Data.Lesson.Id}/complete", Token(TokenOf(lessonLink)));

        // Links from chat replies.
        var tasksReply = await _h.SendAsync("wx-g", "任务");
        var tasksUrl = tasksReply.Split('\n').Select(l => l.Trim()).First(l => l.Contains("/m/tasks")).Split("：").Last();
        var tasks = await GetAsync(client, PathOf(tasksUrl));
        Assert.Equal(HttpStatusCode.OK, tasks.Status);
        Assert.Contains(_h.Data.Task.Title, tasks.Body);
        Assert.Contains("3天后截止，截止时间 2026-11-26 10:00", tasks.Body);
        Assert.Contains("/m/lessons/" + _h.Data.Lesson.Id + "?t=", tasks.Body);

        var pointsReply = await _h.SendAsync("wx-g", "积分");
        var pointsUrl = pointsReply.Split('\n').Select(l => l.Trim()).First(l => l.Contains("/m/points")).Split("：").Last();
        var mine = await GetAsync(client, PathOf(pointsUrl));
        Assert.Contains("id=\"points-total\">1<", mine.Body);
        Assert.Contains("学习微党课", mine.Body);
        Assert.Contains($"阅读《{_h.Data.Lesson.Title}》", mine.Body);
        Assert.Contains("2026-11-23 10:00", mine.Body);

        var theirs = await GetAsync(client, PathOf(Links.Points(Member(4))));
        Assert.Contains("id=\"points-total\">0<", theirs.Body);
        Assert.DoesNotContain("阅读《", theirs.Body);
    }
}
