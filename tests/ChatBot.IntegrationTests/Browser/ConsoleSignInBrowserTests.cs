using ChatBot.Core.Domain;
using ChatBot.IntegrationTests.Admin;
using ChatBot.IntegrationTests.Infrastructure;
using Microsoft.Playwright;

namespace ChatBot.IntegrationTests.Browser;

/// <summary>The console's sign-in as a secretary's PC browser shows it: headless Debian Chromium against a real socket.</summary>
public sealed class ConsoleSignInBrowserTests : IAsyncLifetime
{
    private ConsoleTestHost? _h;
    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private readonly List<string> _consoleErrors = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_browser is not null) await _browser.CloseAsync();
        _playwright?.Dispose();
        if (_h is not null) await _h.DisposeAsync();
    }

    [SkippableFact]
    public async Task SignIn_FromTheRootUrl_ShowsTheConsole_AndSignOutReturnsToTheForm()
    {
        var page = await StartAsync();

        await page.GotoAsync(_h!.ServerAddress.ToString());
        Assert.EndsWith("/admin/login?returnUrl=%2Fadmin", page.Url);
        await page.FillAsync("#UserName", "shuji-a");
        await page.FillAsync("#Password", "wrong-password");
        await page.ClickAsync("button[type=submit]");
        Assert.Contains("登录失败", await page.TextContentAsync("[data-testid=login-error]"));

        await page.FillAsync("#UserName", "shuji-a");
        await page.FillAsync("#Password", ConsoleTestHost.Password);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync(u => u.EndsWith("/admin", StringComparison.Ordinal));
        Assert.Equal("shuji-a", (await page.TextContentAsync("[data-testid=signed-in-user]"))?.Trim());
        Assert.Contains("工作台", await page.TextContentAsync("#admin-sidebar"));
        Assert.DoesNotContain("账号", await page.TextContentAsync("#admin-sidebar")); // secretaries have no 账号 menu
        // The vendored assets load under the CSP (no console errors, Bootstrap styles applied).
        Assert.True(await page.EvaluateAsync<bool>("() => typeof window.htmx === 'object' && typeof window.bootstrap === 'object'"));
        Assert.True(_consoleErrors.Count == 0, string.Join("\n", _consoleErrors));

        await page.ClickAsync("text=退出");
        await page.WaitForURLAsync(u => u.Contains("/admin/login", StringComparison.Ordinal));
        await page.GotoAsync(new Uri(_h.ServerAddress, "/admin").ToString());
        Assert.Contains("/admin/login", page.Url);
    }

    [SkippableFact]
    public async Task FiveWrongPasswords_LockTheAccount_UntilFifteenMinutesPass()
    {
        var page = await StartAsync();
        await page.GotoAsync(new Uri(_h!.ServerAddress, "/admin/login").ToString());
        for (var i = 0; i < AdminUser.MaxFailedSignIns; i++)
        {
            await page.FillAsync("#UserName", "admin");
            await page.FillAsync("#Password", "wrong-" + i);
            await page.ClickAsync("button[type=submit]");
            await page.WaitForSelectorAsync("[data-testid=login-error]");
        }

        await page.FillAsync("#UserName", "admin");
        await page.FillAsync("#Password", ConsoleTestHost.Password);
        await page.ClickAsync("button[type=submit]");
        Assert.Contains("已锁定", await page.TextContentAsync("[data-testid=login-error]"));
        Assert.Contains("/admin/login", page.Url);

        _h.Clock.Advance(AdminUser.LockoutDuration);
        await page.FillAsync("#UserName", "admin");
        await page.FillAsync("#Password", ConsoleTestHost.Password);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync(u => u.EndsWith("/admin", StringComparison.Ordinal));
        Assert.Contains("账号", await page.TextContentAsync("#admin-sidebar")); // a 超级管理员 sees 账号
    }

    private async Task<IPage> StartAsync()
    {
        var chromium = TestServices.RequireChromium();
        _h = await ConsoleTestHost.StartAsync(realServer: true);
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync"],
        });
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 1280, Height = 800 },
            Locale = "zh-CN",
        });
        var page = await context.NewPageAsync();
        page.Console += (_, message) => { if (message.Type == "error") _consoleErrors.Add(message.Text); };
        page.PageError += (_, error) => _consoleErrors.Add(error);
        return page;
    }
}
