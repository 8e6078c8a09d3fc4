using ChatBot.Core.Domain;
using ChatBot.Host.Broadcasts;
using ChatBot.Host.Delivery;
using ChatBot.IntegrationTests.Broadcasts;
using ChatBot.IntegrationTests.GroupChats;
using ChatBot.IntegrationTests.Infrastructure;
using ChatBot.IntegrationTests.WeChat;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace ChatBot.IntegrationTests.Browser;

/// <summary>
/// 推送 in the console, in headless Debian Chromium against the real host on a loopback port with its real CSP, and
/// fake WeChat and DingTalk APIs on loopback: compose → preflight (the unbound member listed with why) → confirm → the
/// outbox sender delivers → the live progress and the report show the fakes' results; pause and cancel; a secretary
/// cannot open another branch's broadcast. Screenshots go to <c>artifacts/screenshots/</c> (gitignored).
/// </summary>
public sealed class BroadcastConsoleBrowserTests : IAsyncLifetime
{
    private const string Password = "Test-Passw0rd!";
    private FakeWeChatApi? _weChat;
    private FakeRobotServer? _dingTalk;
    private BroadcastHarness? _h;
    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private readonly List<string> _consoleErrors = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_browser is not null) await _browser.CloseAsync();
        _playwright?.Dispose();
        if (_h is not null) await _h.DisposeAsync();
        if (_weChat is not null) await _weChat.DisposeAsync();
        if (_dingTalk is not null) await _dingTalk.DisposeAsync();
    }

    [SkippableFact]
    public async Task ComposePreflightConfirm_TheReportShowsWhatTheFakePlatformsAccepted()
    {
        var page = await StartAsync("shuji-a");
        var h = _h!;
        await page.GotoAsync(Url("/admin/broadcasts"));
        await Assertions.Expect(page.Locator("[data-testid=no-broadcasts]")).ToBeVisibleAsync();
        await page.ClickAsync("[data-testid=new-broadcast]");

        // Compose: the preview is rendered server-side as the text is typed; raw HTML is shown as text, never run.
        await page.FillAsync("#Input_Title", "党费收缴通知");
        await page.FillAsync("#Input_Text", "请各位党员于**本月底前**完成党费缴纳。<b>x</b>");
        await Assertions.Expect(page.Locator("[data-testid=preview] strong")).ToHaveTextAsync("本月底前");
        Assert.Equal(0, await page.Locator("[data-testid=preview] b").CountAsync());
        Assert.Contains("<b>x</b>", await page.InnerTextAsync("[data-testid=preview]"));
        // The tree shows the secretary's subtree only.
        var tree = await page.InnerTextAsync("[data-testid=org-tree]");
        Assert.Contains("城南市场党支部", tree);
        Assert.DoesNotContain("城北商会党支部", tree);
        await page.CheckAsync($"#org-{h.Data.BranchA}");
        await Screenshot(page, "broadcast-compose");
        await page.ClickAsync("[data-testid=save-preflight]");
        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex("/admin/broadcasts/\\d+/preflight$"));

        // Preflight: counts per route and reason, the unbound member listed with the reason and a masked phone.
        await Assertions.Expect(page.Locator("[data-testid=unreachable]")).ToBeVisibleAsync();
        var unbound = page.Locator("[data-testid=unreachable] tbody tr", new() { HasText = "张伟" });
        await Assertions.Expect(unbound).ToHaveCountAsync(1);
        Assert.Contains("未绑定任何账号", await unbound.InnerTextAsync());
        Assert.Matches(@"138\*\*\*\*\d{4}", await unbound.InnerTextAsync());
        Assert.Contains("微信客服消息", await page.InnerTextAsync("[data-testid=by-route]"));
        Assert.Contains("党费收缴通知", await page.InnerTextAsync("[data-route=WeChatCustomerService]"));
        var id = await h.QueryAsync(db => db.Broadcasts.Select(b => b.Id).SingleAsync());
        Assert.Equal(BroadcastStatus.Draft, await h.QueryAsync(db => db.Broadcasts.Select(b => b.Status).SingleAsync()));
        Assert.Equal(0, await h.QueryAsync(db => db.Deliveries.CountAsync()));
        await Screenshot(page, "broadcast-preflight");

        // The cron field shows the next five runs as it is typed.
        await page.FillAsync("input[name=Cron]", "0 9 * * 1");
        await Assertions.Expect(page.Locator("[data-testid=cron-next] li")).ToHaveCountAsync(5);

        page.Dialog += (_, dialog) => dialog.AcceptAsync();
        await page.CheckAsync("#mode-now");
        await page.ClickAsync("[data-testid=confirm]");
        await page.WaitForURLAsync(Url($"/admin/broadcasts/{id}"));
        await h.Get<BroadcastRunner>().WhenWrittenAsync();

        // The sender delivers through the fakes; the progress block (polled by htmx) shows it without a reload.
        var sender = h.Get<OutboxSender>();
        for (var pass = 0; pass < 20 && await sender.ProcessDueAsync() > 0; pass++) { }
        await Assertions.Expect(page.Locator("[data-testid=progress] [data-count=Sent] strong")).ToHaveTextAsync("3", new() { Timeout = 20_000 });
        await Assertions.Expect(page.Locator("[data-testid=progress]")).ToHaveAttributeAsync("data-run-status", "Completed", new() { Timeout = 20_000 });
        Assert.Equal(2, _weChat!.CallsTo(FakeWeChatApi.CustomerServicePath).Count);
        Assert.Single(_dingTalk!.Posts, p => p.Path == "/v1.0/robot/oToMessages/batchSend");

        await page.GotoAsync(Url($"/admin/broadcasts/{id}?status=Sent"));
        var sent = page.Locator("[data-testid=report] tbody tr[data-status=Sent]");
        await Assertions.Expect(sent).ToHaveCountAsync(3);
        Assert.Equal(0, await page.Locator("[data-testid=report] tbody tr[data-status=Skipped]").CountAsync());
        var names = string.Join(",", (await sent.AllInnerTextsAsync()).Order(StringComparer.Ordinal));
        Assert.Contains("王建国", names);
        Assert.Contains("孙丽", names);
        Assert.Contains("陈静", names);
        Assert.Contains("钉钉单聊", names);
        await Screenshot(page, "broadcast-report");
        await page.GotoAsync(Url($"/admin/broadcasts/{id}?status=Skipped"));
        Assert.Contains("未绑定任何账号", await page.InnerTextAsync("[data-testid=report] tbody tr:has-text('张伟')"));

        // The CSV export (the service's streamed CSV) with the page's cookie.
        var csv = await page.Context.APIRequest.GetAsync(Url($"/admin/broadcasts/{id}?handler=Csv"));
        Assert.Equal(200, csv.Status);
        var text = await csv.TextAsync();
        Assert.StartsWith("delivery_id,member_id", text.TrimStart('\uFEFF'));
        Assert.Contains("\"王建国\"", text);

        await page.GotoAsync(Url("/admin/broadcasts"));
        Assert.Contains("党费收缴通知", await page.InnerTextAsync($"[data-testid=broadcasts] tr[data-broadcast-id='{id}']"));
        await Screenshot(page, "broadcast-list");

        Assert.True(await h.QueryAsync(db => db.AuditEntries.AnyAsync(a => a.Action == BroadcastAuditActions.Create && a.Actor == "shuji-a" && a.EntityId == id.ToString())));
        Assert.True(await h.QueryAsync(db => db.AuditEntries.AnyAsync(a => a.Action == BroadcastAuditActions.Confirm && a.Actor == "shuji-a")));
        Assert.Empty(_consoleErrors);
    }

    [SkippableFact]
    public async Task PauseThenCancel_FromTheBroadcastPage_HoldsAndThenSkipsThePendingRows()
    {
        var page = await StartAsync("shuji-a");
        var h = _h!;
        var id = await h.CreateAsync(h.BranchABody(groupChats: false));
        await h.PostAsync($"/api/v1/broadcasts/{id}/confirm", new { });
        page.Dialog += (_, dialog) => dialog.AcceptAsync();

        await page.GotoAsync(Url($"/admin/broadcasts/{id}"));
        await page.ClickAsync("[data-testid=pause]");
        await Assertions.Expect(page.Locator("[data-testid=message]")).ToContainTextAsync("已暂停");
        await Assertions.Expect(page.Locator("[data-testid=resume]")).ToBeVisibleAsync();
        Assert.Equal(0, await h.Get<OutboxSender>().ProcessDueAsync());
        Assert.Empty(_weChat!.CallsTo(FakeWeChatApi.CustomerServicePath));
        await Screenshot(page, "broadcast-paused");

        await page.ClickAsync("[data-testid=cancel]");
        await Assertions.Expect(page.Locator("[data-testid=message]")).ToContainTextAsync("已取消");
        await Assertions.Expect(page.Locator("[data-testid=progress]")).ToHaveAttributeAsync("data-status", "Cancelled");
        Assert.Equal(0, await page.Locator("[data-testid=pause], [data-testid=resume], [data-testid=cancel]").CountAsync());
        Assert.Equal(0, await h.QueryAsync(db => db.Deliveries.CountAsync(d => d.Status == DeliveryStatus.Pending)));
        Assert.True(await h.QueryAsync(db => db.Deliveries.AnyAsync(d => d.SkipReason == BroadcastRunner.CancelledReason)));
        Assert.True(await h.QueryAsync(db => db.AuditEntries.AnyAsync(a => a.Action == BroadcastAuditActions.Pause && a.Actor == "shuji-a")));
        Assert.True(await h.QueryAsync(db => db.AuditEntries.AnyAsync(a => a.Action == BroadcastAuditActions.Cancel && a.Actor == "shuji-a")));
        Assert.Empty(_consoleErrors);
    }

    [SkippableFact]
    public async Task Secretary_CannotOpenAnotherBranchsBroadcast()
    {
        var page = await StartAsync("shuji-a");
        var h = _h!;
        var other = await h.CreateAsync(new
        {
            title = "城北通知", text = "仅城北", audience = new { organisationIds = new[] { h.Data.BranchB }, includeSubtrees = true },
        });
        foreach (var path in new[] { $"/admin/broadcasts/{other}", $"/admin/broadcasts/{other}/preflight", $"/admin/broadcasts/{other}/edit",
                     $"/admin/broadcasts/{other}?handler=Progress", $"/admin/broadcasts/{other}?handler=Csv" })
        {
            // (Chromium shows its own error page for an empty 404, so the status is read through the page's request context.)
            var response = await page.Context.APIRequest.GetAsync(Url(path), new() { MaxRedirects = 0 });
            Assert.True(response.Status == 404, $"{path}: {response.Status}");
        }
        await page.GotoAsync(Url("/admin/broadcasts"));
        Assert.DoesNotContain("城北通知", await page.InnerTextAsync("main"));
    }

    private string Url(string path) => new Uri(ServerAddress, path).ToString();

    private Uri ServerAddress => new(_h!.Factory.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
        .Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()!.Addresses.First());

    private async Task<IPage> StartAsync(string userName)
    {
        var chromium = TestServices.RequireChromium();
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(BroadcastHarness.PinnedMonday());
        _weChat = await FakeWeChatApi.StartAsync();
        _dingTalk = await FakeRobotServer.StartAsync(clock);
        var factory = new ChatBotFactory();
        factory.UseKestrel(0);
        _h = await BroadcastHarness.StartAsync(new Dictionary<string, string?>
        {
            ["WeChat:ApiBaseUrl"] = _weChat.BaseUrl,
            ["DingTalk:ApiBaseUrl"] = _dingTalk.BaseUrl,
        }, factory, clock);
        await AddUserAsync("admin", AdminRole.Admin, _h.Data.Committee);
        await AddUserAsync("shuji-a", AdminRole.Secretary, _h.Data.BranchA);

        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync"],
        });
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 }, Locale = "zh-CN" });
        var page = await context.NewPageAsync();
        // Generous bounds for a loaded build machine (they only cap waiting, they assert nothing about speed).
        page.SetDefaultTimeout(60_000);
        Assertions.SetDefaultExpectTimeout(30_000);
        page.Console += (_, message) =>
        {
            if (message.Type == "error" && (message.Text.Contains("Content Security Policy", StringComparison.Ordinal) || message.Text.Contains("Refused", StringComparison.Ordinal)))
                _consoleErrors.Add(message.Text);
        };
        page.PageError += (_, error) => _consoleErrors.Add(error);
        await page.GotoAsync(Url("/admin/login"));
        await page.FillAsync("#UserName", userName);
        await page.FillAsync("#Password", Password);
        await page.ClickAsync("button[type=submit]");
        await Assertions.Expect(page.Locator("[data-testid=signed-in-user]")).ToBeVisibleAsync();
        return page;
    }

    private async Task AddUserAsync(string userName, AdminRole role, int organisationId)
    {
        await using var db = _h!.Db();
        var user = new AdminUser
        {
            UserName = userName, PasswordHash = "", DisplayName = userName, Role = role, OrganisationId = organisationId,
            SecurityStamp = Guid.NewGuid().ToString("N"), CreatedAt = _h.Now,
        };
        user.PasswordHash = new PasswordHasher<AdminUser>().HashPassword(user, Password);
        db.AdminUsers.Add(user);
        await db.SaveChangesAsync();
    }

    /// <summary>Saves a full-page screenshot under artifacts/screenshots/ at the repository root (gitignored).</summary>
    private static async Task Screenshot(IPage page, string name)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "ChatBot.sln"))) dir = dir.Parent;
        var folder = Path.Combine(dir?.FullName ?? AppContext.BaseDirectory, "artifacts", "screenshots");
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name + ".png"), FullPage = true });
    }
}
