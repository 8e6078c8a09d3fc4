using System.Text.RegularExpressions;
using ChatBot.Core.Conversation;
using ChatBot.Core.Domain;
using ChatBot.Core.Messaging;
using ChatBot.IntegrationTests.Admin;
using ChatBot.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace ChatBot.IntegrationTests.Browser;

/// <summary>
/// 内容 as two admins use it, in headless Debian Chromium against the real host with its CSP: the author's page has
/// no approve button and the server refuses a forged approve post; a second admin approves. A quiz edited in the
/// console is then answered in chat through the conversation engine and graded (single and multiple choice).
/// </summary>
public sealed partial class ContentBrowserTests : IAsyncLifetime
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
    public async Task ContentReview_AuthorCannotApprove_ASecondAdminDoes()
    {
        await StartAsync();
        var author = await SignInAsync("admin");
        await author.GotoAsync(Url("/admin/content/new?kind=Policy"));
        await author.FillAsync("#Form_Title", "个体户年报指南");
        await author.SelectOptionAsync("#Form_OrganisationId", _h!.BranchA.Id.ToString());
        await author.FillAsync("#Form_BodyMarkdown", "年报要**按时**报送。\n\n[恶意链接](javascript:alert(1)) [官网](https://gov.example/)");
        // The live preview (htmx → server → sanitiser) renders the Markdown and drops the javascript: link.
        await Assertions.Expect(author.Locator("#content-preview strong")).ToHaveTextAsync("按时");
        await Assertions.Expect(author.Locator("#content-preview a[href='https://gov.example/']")).ToHaveCountAsync(1);
        Assert.Equal(0, await author.Locator("#content-preview a[href^='javascript']").CountAsync());
        await author.FillAsync("[aria-label='附件 1 名称']", "年报通知");
        await author.FillAsync("[aria-label='附件 1 链接']", "https://gov.example/notice.pdf");
        await author.ClickAsync("[data-testid=save]");
        await Assertions.Expect(author.Locator("[data-testid=status]")).ToHaveTextAsync("草稿");
        var id = int.Parse(IdInPath().Match(author.Url).Groups[1].Value);

        await author.ClickAsync("[data-testid=submit]");
        await Assertions.Expect(author.Locator("[data-testid=status]")).ToHaveTextAsync("待审核");
        await Assertions.Expect(author.Locator("[data-testid=own-item]")).ToBeVisibleAsync();
        Assert.Equal(0, await author.Locator("[data-testid=approve]").CountAsync());

        // A forged approve post with the author's own cookie and a valid antiforgery token is refused by the server.
        var token = await author.Locator("input[name=__RequestVerificationToken]").First.GetAttributeAsync("value");
        var form = author.APIRequest.CreateFormData();
        form.Set("__RequestVerificationToken", token!);
        var forged = await author.APIRequest.PostAsync(Url($"/admin/content/{id}?handler=Approve"), new() { Form = form });
        Assert.Equal(403, forged.Status);
        Assert.Equal(ContentStatus.Review, await StatusAsync(id));

        var reviewer = await SignInAsync("shuji-a");
        await reviewer.GotoAsync(Url($"/admin/content/{id}"));
        Assert.Equal(0, await reviewer.Locator("[data-testid=own-item]").CountAsync());
        await reviewer.ClickAsync("[data-testid=approve]");
        await Assertions.Expect(reviewer.Locator("[data-testid=status]")).ToHaveTextAsync("已发布");
        Assert.Equal(ContentStatus.Published, await StatusAsync(id));
        Assert.Equal("shuji-a", await _h.WithDbAsync(db => db.ContentItems.Where(c => c.Id == id).Select(c => c.ReviewedBy).SingleAsync()));
        Assert.Empty(_consoleErrors);
    }

    [SkippableFact]
    public async Task QuizEditedInConsole_IsAnsweredAndGradedInChat()
    {
        await StartAsync();
        var author = await SignInAsync("admin");
        await author.GotoAsync(Url("/admin/content/new?kind=Lesson"));
        await author.FillAsync("#Form_Title", "微党课：诚信经营");
        await author.SelectOptionAsync("#Form_OrganisationId", _h!.BranchA.Id.ToString());
        await author.FillAsync("#Form_BodyMarkdown", "诚信是经营户的金字招牌。");
        await author.ClickAsync("[data-testid=save]");
        await author.ClickAsync("[data-testid=quiz-link]");

        await author.SelectOptionAsync("#q0_kind", "Single");
        await author.FillAsync("#q0_text", "诚信经营的核心是？");
        await author.FillAsync("#q0_optionA", "以次充好");
        await author.FillAsync("#q0_optionB", "明码标价");
        await author.FillAsync("#q0_optionC", "虚假宣传");
        await author.CheckAsync("#q0_correctB");
        await author.FillAsync("#q0_explanation", "明码标价、童叟无欺。");
        await author.ClickAsync("[data-testid=save-quiz]");
        await Assertions.Expect(author.Locator("[data-testid=message]")).ToHaveTextAsync("已保存 1 道题。");

        await author.SelectOptionAsync("#q1_kind", "Multiple");
        await author.FillAsync("#q1_text", "哪些是诚信经营的做法？");
        await author.FillAsync("#q1_optionA", "如实告知商品信息");
        await author.FillAsync("#q1_optionB", "缺斤少两");
        await author.FillAsync("#q1_optionC", "妥善处理投诉");
        await author.CheckAsync("#q1_correctA");
        await author.CheckAsync("#q1_correctC");
        await author.FillAsync("#q1_explanation", "A 和 C 都是诚信经营。");
        await author.ClickAsync("[data-testid=save-quiz]");
        await Assertions.Expect(author.Locator("[data-testid=message]")).ToHaveTextAsync("已保存 2 道题。");
        var id = int.Parse(IdInPath().Match(author.Url).Groups[1].Value);
        var stored = await _h.WithDbAsync(db => db.QuizQuestions.Where(q => q.ContentItemId == id).OrderBy(q => q.Order)
            .Select(q => new { q.Kind, q.CorrectOptions }).ToListAsync());
        Assert.Equal([(QuizQuestionKind.Single, "B"), (QuizQuestionKind.Multiple, "AC")], stored.Select(q => (q.Kind, q.CorrectOptions)));

        await author.GotoAsync(Url($"/admin/content/{id}"));
        await author.ClickAsync("[data-testid=submit]");
        var reviewer = await SignInAsync("shuji-a");
        await reviewer.GotoAsync(Url($"/admin/content/{id}"));
        await reviewer.ClickAsync("[data-testid=approve]");
        await Assertions.Expect(reviewer.Locator("[data-testid=status]")).ToHaveTextAsync("已发布");

        // A bound member of branch A answers in chat.
        await _h.WithDbAsync(async db =>
        {
            var member = new Member { Name = "李诚信", OrganisationId = _h.BranchA.Id, CreatedAt = _h.Clock.GetUtcNow().UtcDateTime };
            db.Members.Add(member);
            await db.SaveChangesAsync();
            db.ChannelIdentities.Add(new ChannelIdentity { Channel = Channel.WeChat, ExternalId = "wx-quiz", MemberId = member.Id, State = BindingState.Bound });
            return await db.SaveChangesAsync();
        });
        var start = await ChatAsync("答题");
        Assert.Contains("《微党课：诚信经营》共 2 题", start);
        Assert.Contains("B. 明码标价", start);
        var first = await ChatAsync("B");
        Assert.Contains("✅ 回答正确", first);
        Assert.Contains("明码标价、童叟无欺。", first);
        Assert.Contains("第 2/2 题（多选", first);
        var done = await ChatAsync("CA");
        Assert.Contains("✅ 回答正确", done);
        Assert.Contains("答对 2/2 题，得分 100", done);
        Assert.Empty(_consoleErrors);
    }

    private int _messageId;

    private async Task<string> ChatAsync(string text)
    {
        await using var scope = _h!.Factory.Services.CreateAsyncScope();
        var reply = await scope.ServiceProvider.GetRequiredService<IConversationEngine>().HandleAsync(new InboundMessage
        {
            Channel = Channel.WeChat, SenderId = "wx-quiz", Kind = InboundKind.Text, Text = text,
            DedupeKey = $"content-browser:{Interlocked.Increment(ref _messageId)}", ReceivedAt = _h.Clock.GetUtcNow().UtcDateTime,
        }, CancellationToken.None);
        return reply.Text;
    }

    private Task<ContentStatus> StatusAsync(int id) => _h!.WithDbAsync(db => db.ContentItems.Where(c => c.Id == id).Select(c => c.Status).SingleAsync());

    private string Url(string path) => new Uri(_h!.ServerAddress, path).ToString();

    private async Task StartAsync()
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
    }

    /// <summary>A page in its own browser context (own cookies), signed in through the real form.</summary>
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
        await page.FillAsync("#Password", ConsoleTestHost.Password);
        await page.ClickAsync("button[type=submit]");
        await Assertions.Expect(page.Locator("[data-testid=signed-in-user]")).ToBeVisibleAsync();
        return page;
    }

    [GeneratedRegex(@"/admin/content/(\d+)")]
    private static partial Regex IdInPath();
}
