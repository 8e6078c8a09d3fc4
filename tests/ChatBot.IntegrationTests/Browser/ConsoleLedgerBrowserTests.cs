using System.Text;
using ChatBot.Core.Domain;
using ChatBot.IntegrationTests.Console;
using ChatBot.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace ChatBot.IntegrationTests.Browser;

/// <summary>
/// The ledger console as a secretary uses it, in headless Debian Chromium (never a downloaded browser) against the
/// real host on a loopback port, with its real CSP: CSV import with one bad row, a binding confirmation, the dashboard.
/// </summary>
public sealed class ConsoleLedgerBrowserTests : IAsyncLifetime
{
    private LedgerHost? _h;
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
    public async Task CsvImportWithOneBadRow_ImportsNothing_AndShowsTheRowAndReason()
    {
        var page = await SignInAsync("shuji-a");
        var before = await _h!.WithDbAsync(db => db.Members.CountAsync());
        await page.GotoAsync(Url("/admin/members/import"));
        var csv = "姓名,手机号,所在支部,党员类别\n赵一,13900000011,东区商圈党支部,正式党员\n钱二,13900000012,西区协会分会党支部,正式党员\n孙三,13900000013,东区联建党支部,预备党员\n";
        await page.SetInputFilesAsync("#file", new FilePayload { Name = "members.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(csv) });
        await page.ClickAsync("[data-testid=import-submit]");

        var report = page.Locator("[data-testid=import-problems] tbody tr");
        await Assertions.Expect(report).ToHaveCountAsync(1);
        Assert.Contains("第 3 行", await report.First.InnerTextAsync());
        Assert.Contains("不在您的管理范围内", await report.First.InnerTextAsync());
        Assert.Contains("没有导入任何数据", await page.TextContentAsync("[data-testid=import-refused]"));
        Assert.Equal(before, await _h.WithDbAsync(db => db.Members.CountAsync()));
        Assert.False(await _h.WithDbAsync(db => db.Members.AnyAsync(m => m.Name == "赵一")));
        Assert.Empty(_consoleErrors);
    }

    [SkippableFact]
    public async Task SecretaryConfirmsAPendingBinding()
    {
        var page = await SignInAsync("shuji-a");
        var identityId = await _h!.WithDbAsync(async db =>
        {
            var identity = new ChannelIdentity { Channel = Channel.WeChat, ExternalId = "wx-pending", MemberId = _h.AMember.Id, State = BindingState.Pending };
            db.ChannelIdentities.Add(identity);
            // A request in branch B, which this secretary must not see.
            db.ChannelIdentities.Add(new ChannelIdentity { Channel = Channel.WeChat, ExternalId = "wx-other", MemberId = _h.BMember.Id, State = BindingState.Pending });
            await db.SaveChangesAsync();
            return identity.Id;
        });

        await page.GotoAsync(Url("/admin/bindings"));
        var rows = page.Locator("[data-testid=pending-bindings] tbody tr");
        await Assertions.Expect(rows).ToHaveCountAsync(1);
        Assert.Contains("王建国", await rows.First.InnerTextAsync());
        Assert.Contains("138****0001", await rows.First.InnerTextAsync());
        await page.ClickAsync($"tr[data-identity-id='{identityId}'] button:has-text('确认')");

        await Assertions.Expect(page.Locator("[data-testid=binding-message]")).ToContainTextAsync("已确认绑定");
        await Assertions.Expect(page.Locator("[data-testid=no-pending]")).ToBeVisibleAsync();
        var identity = await _h.WithDbAsync(db => db.ChannelIdentities.SingleAsync(i => i.Id == identityId));
        Assert.Equal(BindingState.Bound, identity.State);
        Assert.True(await _h.WithDbAsync(db => db.AuditEntries.AnyAsync(a => a.Action == "binding.confirm" && a.Actor == "shuji-a")));
        Assert.Equal(BindingState.Pending, await _h.WithDbAsync(db => db.ChannelIdentities.Where(i => i.ExternalId == "wx-other").Select(i => i.State).SingleAsync()));
    }

    [SkippableFact]
    public async Task SecretarysDashboard_ShowsOnlyTheirBranches_AndDrawsTheCharts()
    {
        var page = await SignInAsync("shuji-a");
        await page.GotoAsync(Url("/admin"));

        var names = await page.Locator("[data-testid=dashboard-branch] td:first-child").AllInnerTextsAsync();
        Assert.Equal(["东区商圈党支部", "东区联建党支部"], names.Select(n => n.Trim()).ToArray());
        Assert.DoesNotContain("西区", await page.InnerTextAsync("main"));
        // ECharts ran from the external script under the CSP and drew its SVG.
        await Assertions.Expect(page.Locator("#chart-binding svg")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#chart-deliveries svg")).ToHaveCountAsync(1);
        Assert.Empty(_consoleErrors);
    }

    private string Url(string path) => new Uri(_h!.ServerAddress, path).ToString();

    private async Task<IPage> SignInAsync(string userName)
    {
        var chromium = TestServices.RequireChromium();
        _h = await LedgerHost.StartAsync(realServer: true);
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
        // A CSP violation (inline script, a blocked asset) shows up as a console error; a script error as a page error.
        // (Status codes such as the import's 422 or a missing favicon also log errors, and are not what this checks.)
        page.Console += (_, message) =>
        {
            if (message.Type == "error" && (message.Text.Contains("Content Security Policy", StringComparison.Ordinal) || message.Text.Contains("Refused", StringComparison.Ordinal)))
                _consoleErrors.Add(message.Text);
        };
        page.PageError += (_, error) => _consoleErrors.Add(error);
        await page.GotoAsync(Url("/admin/login"));
        await page.FillAsync("#UserName", userName);
        await page.FillAsync("#Password", LedgerHost.Password);
        await page.ClickAsync("button[type=submit]");
        await Assertions.Expect(page.Locator("[data-testid=signed-in-user]")).ToBeVisibleAsync();
        return page;
    }
}
