using ChatBot.IntegrationTests.Conversation;
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
        Assert.Contains("答题", await page.TextContentAsync(".hint"));
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
            ViewportSize = new ViewportSize { Width = 375, Height = 740 },
            IsMobile = true,
            Locale = "zh-CN",
        });
        return await context.NewPageAsync();
    }
}
