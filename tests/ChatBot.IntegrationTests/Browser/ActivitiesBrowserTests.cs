using ChatBot.Core.Conversation;
using ChatBot.Core.Domain;
using ChatBot.Core.Messaging;
using ChatBot.IntegrationTests.Console;
using ChatBot.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace ChatBot.IntegrationTests.Browser;

/// <summary>
/// 活动 and 积分 in headless Debian Chromium against the real host: an activity with 3 places filled by 4 sign-ups in
/// chat (one waitlisted, shown in order), the printable check-in QR decoded from the rendered page, and a manual credit
/// approved by a second admin showing in the member's 积分 reply.
/// </summary>
public sealed class ActivitiesBrowserTests : IAsyncLifetime
{
    private LedgerHost? _h;
    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private readonly List<string> _consoleErrors = [];
    private int _messageId;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_browser is not null) await _browser.CloseAsync();
        _playwright?.Dispose();
        if (_h is not null) await _h.DisposeAsync();
    }

    [SkippableFact]
    public async Task ActivityWithThreePlaces_FourSignUpsInChat_OneWaitlisted_ShownInOrder()
    {
        var page = await StartAndSignInAsync("admin");
        var id = await CreateActivityInConsoleAsync(page, "十二月主题党日", capacity: 3);

        // Four members sign up in chat, in this order; the fourth finds the places gone.
        string[] order = ["王建国", "张伟", "李秀兰", "刘芳"];
        var replies = new List<string>();
        foreach (var name in order)
        {
            var sender = await BindAsync(name);
            await ChatAsync(sender, "活动");
            replies.Add(await ChatAsync(sender, "报名 1"));
            _h!.Time.Advance(TimeSpan.FromMinutes(1));
        }
        Assert.Contains("候补", replies[3]);
        Assert.DoesNotContain("候补", replies[0]);

        await page.GotoAsync(Url($"/admin/activities/{id}"));
        var places = await page.Locator("[data-testid=places] tbody tr td:nth-child(2)").AllInnerTextsAsync();
        Assert.Equal(["王建国", "张伟", "李秀兰"], places.Select(p => p.Trim()).ToArray());
        var seats = await page.Locator("[data-testid=places] tbody tr td:nth-child(1)").AllInnerTextsAsync();
        Assert.Equal(["1", "2", "3"], seats.Select(p => p.Trim()).ToArray());
        var waitlist = page.Locator("[data-testid=waitlist] tbody tr");
        await Assertions.Expect(waitlist).ToHaveCountAsync(1);
        Assert.Equal("1", (await waitlist.First.Locator("td").First.InnerTextAsync()).Trim());
        Assert.Contains("刘芳", await waitlist.First.InnerTextAsync());
        Assert.Contains("候补 1", await page.InnerTextAsync("[data-testid=activity-summary]"));

        // The first one cancels in chat: the waitlisted member moves up into the freed place.
        var first = await SenderOfAsync("王建国");
        await ChatAsync(first, "活动");
        await ChatAsync(first, "取消报名 1");
        await page.ReloadAsync();
        Assert.Contains("刘芳", await page.InnerTextAsync("[data-testid=places]"));
        await Assertions.Expect(page.Locator("[data-testid=no-waitlist]")).ToBeVisibleAsync();
        Assert.Empty(_consoleErrors);
    }

    [SkippableFact]
    public async Task CheckInSheet_RendersAQrCodeThatDecodesToTheCheckInLink()
    {
        var page = await StartAndSignInAsync("admin");
        var id = await CreateActivityInConsoleAsync(page, "支部党员大会", capacity: null);
        var code = await _h!.WithDbAsync(db => db.Activities.Where(a => a.Id == id).Select(a => a.CheckInCode).SingleAsync());
        Assert.Matches("^[0-9]{6}$", code!);

        await page.GotoAsync(Url($"/admin/activities/{id}/checkin"));
        Assert.Contains($"签到 {code}", await page.InnerTextAsync("[data-testid=checkin-instruction]"));
        // Rasterise the SVG exactly as the browser shows it, then decode the pixels with ZXing.
        var (width, height, rgba) = await RasteriseAsync(page, "[data-testid=checkin-qr] svg");
        var source = new ZXing.RGBLuminanceSource(rgba, width, height, ZXing.RGBLuminanceSource.BitmapFormat.RGBA32);
        var result = new ZXing.QrCode.QRCodeReader().decode(new ZXing.BinaryBitmap(new ZXing.Common.HybridBinarizer(source)));
        Assert.NotNull(result);
        Assert.Equal($"http://localhost:5080/m/checkin/{id}?code={code}", result.Text);

        // The link leads to a page telling the member what to send; a wrong code is not found.
        var anonymous = _h.Factory.CreateClient();
        var landing = await anonymous.GetStringAsync($"/m/checkin/{id}?code={code}");
        Assert.Contains($"签到 {code}", landing);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await anonymous.GetAsync($"/m/checkin/{id}?code=000000x")).StatusCode);
        Assert.Empty(_consoleErrors);
    }

    [SkippableFact]
    public async Task ManualCredit_ApprovedByASecondAdmin_ShowsInTheMembersPointsReply()
    {
        var page = await StartAndSignInAsync("admin");
        await _h!.AddUserAsync("admin2", AdminRole.Admin, _h.Committee.Id);
        var member = _h.AMember;
        var sender = await BindAsync(member.Name);

        await page.GotoAsync(Url($"/admin/points/members/{member.Id}"));
        await page.FillAsync("#points", "5");
        await page.FillAsync("#reason", "协助开展光彩助农志愿服务");
        await page.FillAsync("#evidence", "https://example.org/photos/42");
        await page.ClickAsync("[data-testid=manual-submit]");
        await Assertions.Expect(page.Locator("[data-testid=message]")).ToContainTextAsync("等待另一位管理员审核");
        // Pending: not in the member's reply yet, and the requester has no approve button.
        Assert.DoesNotContain("人工加减分", await ChatAsync(sender, "积分"));
        await page.GotoAsync(Url("/admin/points"));
        var row = page.Locator("[data-testid=pending] tbody tr");
        await Assertions.Expect(row).ToHaveCountAsync(1);
        await Assertions.Expect(row.Locator("[data-testid=approve]")).ToHaveCountAsync(0);
        Assert.Contains("待他人审核", await row.InnerTextAsync());

        var second = await SignInAsync("admin2");
        await second.GotoAsync(Url("/admin/points"));
        await second.ClickAsync("[data-testid=pending] [data-testid=approve]");
        await Assertions.Expect(second.Locator("[data-testid=message]")).ToContainTextAsync("已通过");
        await Assertions.Expect(second.Locator("[data-testid=no-pending]")).ToBeVisibleAsync();

        var reply = await ChatAsync(sender, "积分");
        Assert.Contains("累计 5 分", reply);
        Assert.Contains("人工加减分：+5", reply);
        var entry = await _h.WithDbAsync(db => db.PointsEntries.SingleAsync(e => e.MemberId == member.Id && e.SourceKey.StartsWith("manual:")));
        Assert.Equal(("admin", "admin2", PointsEntryStatus.Approved), (entry.RequestedBy, entry.DecidedBy, entry.Status));
        Assert.True(await _h.WithDbAsync(db => db.AuditEntries.AnyAsync(a => a.Action == "points.approve" && a.Actor == "admin2")));

        // The ledger page explains the line (rule, reason, requester / approver).
        await second.GotoAsync(Url($"/admin/points/members/{member.Id}"));
        var ledger = await second.InnerTextAsync("[data-testid=ledger]");
        Assert.Contains("协助开展光彩助农志愿服务", ledger);
        Assert.Contains("admin / admin2", ledger);
        Assert.Empty(_consoleErrors);
    }

    private async Task<int> CreateActivityInConsoleAsync(IPage page, string title, int? capacity)
    {
        await page.GotoAsync(Url("/admin/activities"));
        await page.ClickAsync("summary:has-text('新建活动')");
        await page.FillAsync("#Form_Title", title);
        await page.SelectOptionAsync("#Form_OrganisationId", _h!.Committee.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await page.SelectOptionAsync("#Form_Kind", nameof(ActivityKind.ThemeDay));
        await page.FillAsync("#Form_Location", "党群服务中心");
        if (capacity is { } c) await page.FillAsync("#Form_Capacity", c.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await page.ClickAsync("[data-testid=activity-create-submit]");
        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex("/admin/activities/[0-9]+$"));
        var id = int.Parse(page.Url.Split('/').Last(), System.Globalization.CultureInfo.InvariantCulture);
        var stored = await _h.WithDbAsync(db => db.Activities.SingleAsync(a => a.Id == id));
        Assert.Equal((title, capacity, _h.Committee.Id), (stored.Title, stored.Capacity, stored.OrganisationId));
        return id;
    }

    private async Task<string> BindAsync(string memberName)
    {
        var sender = "wx-" + memberName;
        await _h!.WithDbAsync(async db =>
        {
            var member = await db.Members.SingleAsync(m => m.Name == memberName);
            db.ChannelIdentities.Add(new ChannelIdentity { Channel = Channel.WeChat, ExternalId = sender, MemberId = member.Id, State = BindingState.Bound });
            return await db.SaveChangesAsync();
        });
        return sender;
    }

    private static Task<string> SenderOfAsync(string memberName) => Task.FromResult("wx-" + memberName);

    private async Task<string> ChatAsync(string sender, string text)
    {
        await using var scope = _h!.Factory.Services.CreateAsyncScope();
        var reply = await scope.ServiceProvider.GetRequiredService<IConversationEngine>().HandleAsync(new InboundMessage
        {
            Channel = Channel.WeChat, SenderId = sender, Kind = InboundKind.Text, Text = text,
            DedupeKey = $"activities-test:{Interlocked.Increment(ref _messageId)}", ReceivedAt = _h.Time.GetUtcNow().UtcDateTime,
        }, CancellationToken.None);
        return reply.Text;
    }

    private static async Task<(int Width, int Height, byte[] Rgba)> RasteriseAsync(IPage page, string selector)
    {
        var pixels = await page.EvaluateAsync<int[]>(@"async (selector) => {
            const svg = document.querySelector(selector);
            const xml = new XMLSerializer().serializeToString(svg);
            const img = new Image();
            img.src = 'data:image/svg+xml;charset=utf-8,' + encodeURIComponent(xml);
            await img.decode();
            const size = 400;
            const canvas = document.createElement('canvas');
            canvas.width = size; canvas.height = size;
            const ctx = canvas.getContext('2d');
            ctx.fillStyle = '#fff'; ctx.fillRect(0, 0, size, size);
            ctx.drawImage(img, 0, 0, size, size);
            return Array.from(ctx.getImageData(0, 0, size, size).data);
        }", selector);
        return (400, 400, pixels.Select(p => (byte)p).ToArray());
    }

    private string Url(string path) => new Uri(_h!.ServerAddress, path).ToString();

    private async Task<IPage> StartAndSignInAsync(string userName)
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
        return await SignInAsync(userName);
    }

    private async Task<IPage> SignInAsync(string userName)
    {
        var context = await _browser!.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 }, Locale = "zh-CN" });
        var page = await context.NewPageAsync();
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
