using ChatBot.IntegrationTests.Admin;
using ChatBot.IntegrationTests.Infrastructure;
using Microsoft.Playwright;

namespace ChatBot.IntegrationTests.Browser;

/// <summary>
/// /admin/api-docs renders the API reference (server-side, from the OpenAPI document) under the console's strict CSP
/// with nothing leaving the origin, anonymous users are sent to sign-in, and the 账号 → API 密钥 page shows a new key once.
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
        var reference = page.Locator("[data-testid=api-reference]");
        await reference.Locator("[data-testid=api-operation]").First.WaitForAsync(new LocatorWaitForOptions { Timeout = 30_000 });
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Path.GetTempPath(), "chatbot-api-docs.png") });
        var paths = await reference.Locator("[data-testid=api-path]").AllInnerTextsAsync();
        Assert.Contains("/api/v1/broadcasts", paths);
        Assert.Contains(paths, p => p.StartsWith("/api/v1/members", StringComparison.Ordinal));
        Assert.True(paths.Count >= 10, $"only {paths.Count} operations rendered");
        var text = await reference.InnerTextAsync();
        Assert.Contains("POST", text);
        Assert.Contains("apiKeyHeader", text);   // the security schemes are listed
        Assert.Contains("ProblemDetails", text); // response schemas are named
        // Nothing leaves 127.0.0.1 (no CDN, no web fonts) and the CSP refuses nothing.
        Assert.True(System.Net.IPAddress.IsLoopback(System.Net.IPAddress.Parse(_h.ServerAddress.Host == "localhost" ? "127.0.0.1" : _h.ServerAddress.Host)), origin);
        Assert.Empty(_foreignRequests);
        Assert.Empty(_consoleErrors);

        // Anonymous: redirected to sign-in.
        var anonymous = await (await _browser.NewContextAsync()).NewPageAsync();
        await anonymous.GotoAsync(new Uri(_h.ServerAddress, "/admin/api-docs").ToString());
        Assert.Contains("/admin/login", anonymous.Url, StringComparison.Ordinal);
        Assert.Equal(0, await anonymous.Locator("[data-testid=api-operation]").CountAsync());
    }
}
