using ChatBot.IntegrationTests.Admin;
using ChatBot.IntegrationTests.Infrastructure;
using Microsoft.Playwright;

namespace ChatBot.IntegrationTests.Browser;

/// <summary>
/// /admin/api-docs renders the Scalar reference from the locally served bundle under the console's CSP, and the
/// 账号 → API 密钥 page shows a new key once.
/// </summary>
public sealed class ApiDocsBrowserTests : IAsyncLifetime
{
    private ConsoleTestHost? _h;
    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private readonly List<string> _consoleErrors = [];
    private readonly List<string> _foreignRequests = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_browser is not null) await _browser.CloseAsync();
        _playwright?.Dispose();
        if (_h is not null) await _h.DisposeAsync();
    }

    [SkippableFact]
    public async Task ApiDocs_RenderTheReference_WithoutCspErrorsOrCdn_AndApiKeyIsShownOnce()
    {
        var chromium = TestServices.RequireChromium();
        _h = await ConsoleTestHost.StartAsync(realServer: true);
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium, Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 }, Locale = "zh-CN" });
        var page = await context.NewPageAsync();
        page.Console += (_, message) => { if (message.Type == "error") _consoleErrors.Add(message.Text); };
        page.PageError += (_, error) => _consoleErrors.Add(error);
        var origin = _h.ServerAddress.GetLeftPart(UriPartial.Authority);
        page.Request += (_, request) => { if (!request.Url.StartsWith(origin, StringComparison.Ordinal) && !request.Url.StartsWith("data:", StringComparison.Ordinal)) _foreignRequests.Add(request.Url); };

        await page.GotoAsync(new Uri(_h.ServerAddress, "/admin/login").ToString());
        await page.FillAsync("#UserName", "admin");
        await page.FillAsync("#Password", ConsoleTestHost.Password);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync("**/admin");

        await page.GotoAsync(new Uri(_h.ServerAddress, "/admin/api-keys").ToString());
        await page.FillAsync("#NewName", "浏览器测试");
        await page.ClickAsync("form[action*='Create'] button[type=submit]");
        var secret = await page.Locator("[data-testid=apikey-secret]").InnerTextAsync();
        Assert.StartsWith("cbk_", secret);
        await page.GotoAsync(new Uri(_h.ServerAddress, "/admin/api-keys").ToString());
        Assert.DoesNotContain(secret, await page.ContentAsync());

        await page.GotoAsync(new Uri(_h.ServerAddress, "/admin/api-docs").ToString());
        // The locally served Scalar bundle runs under the CSP and mounts its reference shell (nothing from a CDN is fetched).
        await page.Locator("#api-reference *").First.WaitForAsync(new LocatorWaitForOptions { Timeout = 30_000 });
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Path.GetTempPath(), "chatbot-api-docs.png") });
        // Scalar asks for its default web fonts from fonts.scalar.com; the CSP (font-src self) refuses them. Nothing else leaves the origin.
        Assert.True(_foreignRequests.All(u => u.StartsWith("https://fonts.scalar.com/", StringComparison.Ordinal)), string.Join("\n", _foreignRequests));
        // Only Scalar's default web fonts (fonts.scalar.com) are refused by the CSP; no script is refused.
        Assert.True(_consoleErrors.All(e => e.Contains("fonts.scalar.com", StringComparison.Ordinal)), string.Join("\n", _consoleErrors));
    }
}
