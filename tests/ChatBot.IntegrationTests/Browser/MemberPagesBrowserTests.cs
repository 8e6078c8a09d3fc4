using ChatBot.Core.Domain;
using ChatBot.Host.Features;
using ChatBot.IntegrationTests.Conversation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ChatBot.IntegrationTests.Infrastructure;
using Microsoft.Playwright;

namespace ChatBot.IntegrationTests.Browser;

/// <summary>
/// The member pages as a member's phone shows them: headless Debian Chromium (never a downloaded browser) on a phone
/// viewport, following the link the bot sent in chat.
/// </summary>
public sealed class MemberPagesBrowserTests : IAsyncLifetime
{
    private EngineHarness? _h;
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_browser is not null) await _browser.CloseAsync();
        _playwright?.Dispose();
        if (_h is not null) await _h.DisposeAsync();
    }

    [SkippableFact]
    public async Task LessonLinkFromChat_OpensReadablePageOnPhone_AndForgedLinkExplainsItself()
    {
        var page = await StartAsync();
        await _h!.BindAsync("wx-browser", _h.Data.Members[0].Id);
        var reply = await _h.SendAsync("wx-browser", "学习");
        var link = reply.Split('\n').Select(l => l.Trim()).First(l => l.Contains("/m/lessons/")).Split("：").Last();
        var path = new Uri(link).PathAndQuery;

        var response = await page.GotoAsync(new Uri(_h.ServerAddress, path).ToString());

        Assert.Equal(200, response!.Status);
        Assert.Equal("诚信经营微党课", await page.TextContentAsync("header h1"));
        Assert.Contains("诚信", await page.TextContentAsync("main h2"));
        Assert.Equal("完成学习", (await page.TextContentAsync("#complete-lesson"))!.Trim());
        // Fits a phone: nothing wider than the viewport, text large enough to read.
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"));
        Assert.True(await page.EvaluateAsync<double>("() => parseFloat(getComputedStyle(document.body).fontSize)") >= 16);

        var forged = await page.GotoAsync(new Uri(_h.ServerAddress, $"/m/lessons/{_h.Data.Lesson.Id}?t=forged").ToString());
        Assert.Equal(403, forged!.Status);
        Assert.Equal("链接已失效", await page.TextContentAsync("h1"));
    }

    [SkippableFact]
    public async Task PolicyLinkFromSearch_ShowsTheGuide()
    {
        var page = await StartAsync();
        var reply = await _h!.SendAsync("anyone", "政策 商标");
        var link = reply.Split('\n').Select(l => l.Trim()).First(l => l.Contains("/m/policies/"));

        var response = await page.GotoAsync(new Uri(_h.ServerAddress, new Uri(link).PathAndQuery).ToString());

        Assert.Equal(200, response!.Status);
        Assert.Contains("商标注册补贴", await page.TextContentAsync("header h1"));
        Assert.Contains("以当地最新政策", await page.TextContentAsync(".hint"));
    }

    [SkippableFact]
    public async Task QuizAnsweredOnThePage_ShowsScoreAndExplanations_AndCreditsLikeChat()
    {
        var page = await StartAsync();
        await _h!.BindAsync("wx-quiz", _h.Data.Members[0].Id);
        await _h.WithDbAsync(async db =>
        {
            var q = await db.QuizQuestions.Where(x => x.ContentItemId == _h.Data.Lesson.Id).OrderBy(x => x.Order).FirstAsync();
            q.Explanation = "明码标价、诚实守信是经营户的本分。";
            return await db.SaveChangesAsync();
        });
        var reply = await _h.SendAsync("wx-quiz", "学习");
        var link = reply.Split('\n').Select(l => l.Trim()).First(l => l.Contains("/m/lessons/")).Split("：").Last();
        await page.GotoAsync(new Uri(_h.ServerAddress, new Uri(link).PathAndQuery).ToString());
        await Shot(page, "lesson");

        await page.ClickAsync("#complete-lesson");
        Assert.Contains("已完成学习，积分 +1", await page.TextContentAsync("[role=status]"));

        var questions = await _h.WithDbAsync(db => db.QuizQuestions.Where(x => x.ContentItemId == _h.Data.Lesson.Id).OrderBy(x => x.Order).ToListAsync());
        await page.CheckAsync($"#q{questions[0].Id}A");
        await page.CheckAsync($"#q{questions[1].Id}A"); // wrong: B is right
        await page.ClickAsync("#submit-quiz");
        Assert.Contains("50 分", await page.TextContentAsync("#quiz-result h2"));
        Assert.Contains("正确答案：B. 及时妥善处理", await page.TextContentAsync("#quiz-result"));
        Assert.Contains("明码标价、诚实守信", await page.TextContentAsync(".quiz-explanation"));

        await page.CheckAsync($"#q{questions[0].Id}A");
        await page.CheckAsync($"#q{questions[1].Id}B");
        await page.ClickAsync("#submit-quiz");
        var outcome = await page.TextContentAsync("#quiz-outcome");
        Assert.Contains("通过", outcome);
        Assert.Contains("积分 +7", outcome);
        Assert.Contains("学习任务已完成", outcome);
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"));
        await Shot(page, "lesson-quiz-result");

        // The footer leads to 我的积分, with every line explained.
        await page.ClickAsync("text=我的积分");
        Assert.Equal("8", await page.TextContentAsync("#points-total"));
        var entries = await page.TextContentAsync("#points-entries");
        Assert.Contains("答题通过", entries);
        Assert.Contains("完成学习任务", entries);
        Assert.Contains($"《{_h.Data.Lesson.Title}》答题通过", entries);
        await Shot(page, "points");
        await page.GotoAsync(new Uri(_h.ServerAddress, new Uri(_h.Services.GetRequiredService<SignedMemberLinks>().Tasks(_h.Data.Members[0].Id)).PathAndQuery).ToString());
        Assert.Contains(_h.Data.Task.Title, await page.TextContentAsync("#done-tasks"));
        await Shot(page, "tasks");
    }

    [SkippableFact]
    public async Task ActivitySignUp_OnAFullActivity_ShowsTheWaitlistPosition()
    {
        var page = await StartAsync();
        var activity = _h!.Data.SmallActivity; // two places
        for (var i = 0; i < 3; i++) await _h.BindAsync($"wx-act{i}", _h.Data.Members[i].Id);
        for (var i = 0; i < 2; i++)
        {
            var registered = await _h.SendAsync($"wx-act{i}", "报名 1");
            Assert.Contains("报名成功", registered);
            Assert.Contains($"/m/activities/{activity.Id}?t=", registered);
        }

        await _h.SendAsync("wx-act2", "活动");
        var detail = await _h.SendAsync("wx-act2", "1");
        // The activity's detail in chat carries this member's signed link to the page.
        var link = detail.Split('\n').Select(l => l.Trim()).First(l => l.Contains("/m/activities/")).Split("：").Last();
        await page.GotoAsync(new Uri(_h.ServerAddress, new Uri(link).PathAndQuery).ToString());
        Assert.Contains("已报 2/2", await page.TextContentAsync("#activity-capacity"));
        Assert.Equal("报名候补", (await page.TextContentAsync("#sign-up"))!.Trim());
        await Shot(page, "activity");

        await page.ClickAsync("#sign-up");
        Assert.Contains("已进入候补，排第 1 位", await page.TextContentAsync("#activity-flash"));
        Assert.Equal("1", await page.TextContentAsync("#waitlist-position"));
        Assert.Contains("候补 1 人", await page.TextContentAsync("#activity-capacity"));
        Assert.Equal(SignUpStatus.Waitlisted, await _h.WithDbAsync(db =>
            db.SignUps.Where(s => s.ActivityId == activity.Id && s.MemberId == _h.Data.Members[2].Id).Select(s => s.Status).SingleAsync()));
        await Shot(page, "activity-waitlisted");
    }

    [SkippableFact]
    public async Task LinkAfterUnbind_ShowsRevokedPage_AndNoMemberData()
    {
        var page = await StartAsync();
        await _h!.BindAsync("wx-unbind", _h.Data.Members[1].Id);
        var reply = await _h.SendAsync("wx-unbind", "学习");
        var link = reply.Split('\n').Select(l => l.Trim()).First(l => l.Contains("/m/lessons/")).Split("：").Last();
        var url = new Uri(_h.ServerAddress, new Uri(link).PathAndQuery).ToString();
        Assert.Equal(200, (await page.GotoAsync(url))!.Status);

        await _h.SendAsync("wx-unbind", "解绑");
        Assert.Contains("已解除绑定", await _h.SendAsync("wx-unbind", "确认"));

        var revoked = await page.GotoAsync(url);
        Assert.Equal(403, revoked!.Status);
        Assert.Equal("链接已停用", await page.TextContentAsync("h1"));
        Assert.DoesNotContain(_h.Data.Lesson.Title, await page.ContentAsync());
        Assert.Equal(0, await page.Locator("form").CountAsync());
        await Shot(page, "revoked");
    }

    /// <summary>Screenshots for people to look at (artifacts/screenshots/, gitignored); nothing asserts on them.</summary>
    private static async Task Shot(IPage page, string name)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "ChatBot.sln"))) dir = dir.Parent;
        var folder = Path.Combine(dir?.FullName ?? Path.GetTempPath(), "artifacts", "screenshots");
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, $"member-{name}.png"), FullPage = true });
    }

    private async Task<IPage> StartAsync()
    {
        var chromium = TestServices.RequireChromium();
        _h = await EngineHarness.StartSqliteAsync(realServer: true);
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            // Root in CI needs --no-sandbox; the rest keep Chromium off the (closed) network.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync"],
        });
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 390, Height = 844 },
            IsMobile = true,
            Locale = "zh-CN",
        });
        return await context.NewPageAsync();
    }
}
