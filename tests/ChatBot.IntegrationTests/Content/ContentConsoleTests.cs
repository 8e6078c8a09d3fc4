using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ChatBot.Core.Domain;
using ChatBot.Core.Search;
using ChatBot.IntegrationTests.Admin;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ChatBot.IntegrationTests.Content;

/// <summary>
/// 内容 through the real host: the console's page handlers and <c>/api/v1/content-items</c> enforce the second-person
/// review, scope and committee-wide rules on the server; publishing and archiving reach search and member pages at
/// once; every rendered body is sanitised.
/// </summary>
public sealed class ContentConsoleTests : IAsyncLifetime
{
    private ConsoleTestHost _h = null!;

    public async Task InitializeAsync() => _h = await ConsoleTestHost.StartAsync();
    public async Task DisposeAsync() => await _h.DisposeAsync();

    private static async Task<HttpResponseMessage> PostFormAsync(HttpClient client, string page, string handler, Dictionary<string, string> fields)
    {
        var token = await ConsoleTestHost.AntiforgeryTokenAsync(client, page);
        fields["__RequestVerificationToken"] = token;
        return await client.PostAsync(page + (handler.Length > 0 ? "?handler=" + handler : ""), new FormUrlEncodedContent(fields));
    }

    private async Task<int> CreateViaPageAsync(HttpClient client, string title, int? organisationId, string body = "年报每年 1 月 1 日至 6 月 30 日在网上报送。", ContentKind kind = ContentKind.Policy)
    {
        var response = await PostFormAsync(client, $"/admin/content/new?kind={kind}", "", new Dictionary<string, string>
        {
            ["Form.Kind"] = kind.ToString(), ["Form.Title"] = title, ["Form.Summary"] = "摘要", ["Form.BodyMarkdown"] = body,
            ["Form.Tags"] = "年报，个体户", ["Form.Keywords"] = "年检 年报", ["Form.EstimatedMinutes"] = "3",
            ["Form.OrganisationId"] = organisationId?.ToString() ?? "",
            ["Form.Attachments[0].Title"] = "通知原文", ["Form.Attachments[0].Url"] = "https://gov.example/notice.pdf",
            ["Form.Attachments[1].Title"] = "", ["Form.Attachments[1].Url"] = "",
        });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return int.Parse(response.Headers.Location!.OriginalString.Split('/').Last().Split('?')[0]);
    }

    private Task<ContentItem> ItemAsync(int id) =>
        _h.WithDbAsync(db => db.ContentItems.AsNoTracking().Include(c => c.Attachments).SingleAsync(c => c.Id == id));

    [Fact]
    public async Task PageHandler_AuthorCannotApproveOwnItem_ASecondAdminPublishesIt_AndSearchFindsItAtOnce()
    {
        var admin = await _h.SignedInAsync("admin");
        var id = await CreateViaPageAsync(admin, "个体工商户年报怎么报", _h.BranchA.Id);
        var created = await ItemAsync(id);
        Assert.Equal(("admin", ContentStatus.Draft, "年报 个体户", _h.BranchA.Id), (created.AuthorName, created.Status, created.Tags, created.OrganisationId));
        Assert.Equal("https://gov.example/notice.pdf", Assert.Single(created.Attachments).Url);

        Assert.Equal(HttpStatusCode.OK, (await PostFormAsync(admin, $"/admin/content/{id}", "Submit", [])).StatusCode);
        var page = await admin.GetStringAsync($"/admin/content/{id}");
        Assert.DoesNotContain("data-testid=\"approve\"", page);
        Assert.Contains("data-testid=\"own-item\"", page);

        // A forged post of the approve handler by the author is refused by the server.
        var forged = await PostFormAsync(admin, $"/admin/content/{id}", "Approve", []);
        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        Assert.Contains("不能审核自己", await forged.Content.ReadAsStringAsync());
        Assert.Equal(ContentStatus.Review, (await ItemAsync(id)).Status);
        var search = _h.Factory.Services.GetRequiredService<IPolicySearch>();
        Assert.DoesNotContain(search.Search("个体工商户年报怎么报", 5), hit => hit.ContentItemId == id);

        var secretary = await _h.SignedInAsync("shuji-a");
        Assert.Contains("data-testid=\"approve\"", await secretary.GetStringAsync($"/admin/content/{id}"));
        Assert.Equal(HttpStatusCode.OK, (await PostFormAsync(secretary, $"/admin/content/{id}", "Approve", [])).StatusCode);
        var published = await ItemAsync(id);
        Assert.Equal((ContentStatus.Published, "shuji-a", "admin"), (published.Status, published.ReviewedBy, published.SubmittedBy));
        Assert.Equal(_h.Clock.GetUtcNow().UtcDateTime, published.PublishedAt);
        // No waiting for the refresher's poll: the approval rebuilt the index.
        Assert.Contains(search.Search("个体工商户年报怎么报", 5), hit => hit.ContentItemId == id);

        var actions = await _h.WithDbAsync(db => db.AuditEntries.Where(a => a.EntityType == nameof(ContentItem) && a.EntityId == id.ToString())
            .OrderBy(a => a.Id).Select(a => a.Actor + ":" + a.Action).ToListAsync());
        Assert.Equal(["admin:content.create", "admin:content.submit", "shuji-a:content.approve"], actions);
    }

    [Fact]
    public async Task Reject_WithComment_BackToDraft_ArchiveRemovesFromSearchAndMemberPages()
    {
        var admin = await _h.SignedInAsync("admin");
        var id = await CreateViaPageAsync(admin, "创业担保贷款申请指南", _h.BranchA.Id, "创业担保贷款最高 30 万元，到人社窗口申请。");
        await PostFormAsync(admin, $"/admin/content/{id}", "Submit", []);
        var secretary = await _h.SignedInAsync("shuji-a");

        var noComment = await PostFormAsync(secretary, $"/admin/content/{id}", "Reject", new() { ["comment"] = "" });
        Assert.Equal(HttpStatusCode.BadRequest, noComment.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PostFormAsync(secretary, $"/admin/content/{id}", "Reject", new() { ["comment"] = "请写明申请材料" })).StatusCode);
        var rejected = await ItemAsync(id);
        Assert.Equal((ContentStatus.Draft, "请写明申请材料", "shuji-a"), (rejected.Status, rejected.ReviewComment, rejected.ReviewedBy));
        Assert.Contains("请写明申请材料", await admin.GetStringAsync($"/admin/content/{id}"));

        await PostFormAsync(admin, $"/admin/content/{id}", "Submit", []);
        await PostFormAsync(secretary, $"/admin/content/{id}", "Approve", []);
        var anonymous = _h.Client();
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync($"/m/policies/{id}")).StatusCode);
        var memberPage = await anonymous.GetStringAsync($"/m/policies/{id}");
        Assert.Contains("href=\"https://gov.example/notice.pdf\"", memberPage);

        Assert.Equal(HttpStatusCode.OK, (await PostFormAsync(secretary, $"/admin/content/{id}", "Archive", [])).StatusCode);
        Assert.Equal(ContentStatus.Archived, (await ItemAsync(id)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync($"/m/policies/{id}")).StatusCode);
        Assert.DoesNotContain(_h.Factory.Services.GetRequiredService<IPolicySearch>().Search("创业担保贷款申请指南", 5), hit => hit.ContentItemId == id);
        // Archived items leave the default list too (they are still listed under 状态 = 已归档).
        Assert.DoesNotContain($"/admin/content/{id}\"", await admin.GetStringAsync("/admin/content"));
        Assert.Contains($"/admin/content/{id}\"", await admin.GetStringAsync("/admin/content?status=Archived"));
    }

    [Fact]
    public async Task Scope_OtherBranch404_CommitteeWideReadOnlyForSecretaries()
    {
        var admin = await _h.SignedInAsync("admin");
        var inA = await CreateViaPageAsync(admin, "甲支部通知", _h.BranchA.Id);
        var committee = await CreateViaPageAsync(admin, "全党委通知", null);
        var secretaryB = await _h.SignedInAsync("shuji-b");

        Assert.Equal(HttpStatusCode.NotFound, (await secretaryB.GetAsync($"/admin/content/{inA}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await secretaryB.GetAsync($"/api/v1/content-items/{inA}")).StatusCode);
        Assert.DoesNotContain("甲支部通知", await secretaryB.GetStringAsync("/admin/content"));

        // Committee-wide: visible, not changeable.
        var page = await secretaryB.GetStringAsync($"/admin/content/{committee}");
        Assert.Contains("只有超级管理员可以修改", page);
        Assert.DoesNotContain("data-testid=\"content-form\"", page);
        var submit = await secretaryB.PostAsync($"/api/v1/content-items/{committee}/submit", null);
        Assert.Equal(HttpStatusCode.Forbidden, submit.StatusCode);
        Assert.Equal(ContentStatus.Draft, (await ItemAsync(committee)).Status);

        // A secretary cannot create committee-wide items nor items in another branch.
        var wide = await secretaryB.PostAsJsonAsync("/api/v1/content-items", new { kind = "Notice", title = "通知", bodyMarkdown = "正文", organisationId = (int?)null });
        Assert.Equal(HttpStatusCode.Forbidden, wide.StatusCode);
        var elsewhere = await secretaryB.PostAsJsonAsync("/api/v1/content-items", new { kind = "Notice", title = "通知", bodyMarkdown = "正文", organisationId = _h.BranchA.Id });
        Assert.Equal(HttpStatusCode.BadRequest, elsewhere.StatusCode);
        Assert.True((await elsewhere.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("organisationId", out _));
    }

    [Fact]
    public async Task Api_AuthorCannotApproveOwnItem_SecondCallerCan_FieldsNamed()
    {
        var key = _h.ApiKeyClient();
        var bad = await key.PostAsJsonAsync("/api/v1/content-items", new
        {
            kind = "Lesson", title = "", bodyMarkdown = "正文", organisationId = _h.BranchA.Id,
            attachments = new[] { new { title = "恶意", url = "javascript:alert(1)" } },
        });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var badErrors = (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(badErrors.TryGetProperty("title", out _));
        Assert.True(badErrors.TryGetProperty("attachments[0].url", out _));

        var badQuiz = await key.PostAsJsonAsync("/api/v1/content-items", new
        {
            kind = "Lesson", title = "微党课", bodyMarkdown = "正文", organisationId = _h.BranchA.Id,
            questions = new[] { new { kind = "Single", text = "题", options = new[] { "甲", "乙" }, correct = "AB" } },
        });
        Assert.Equal(HttpStatusCode.BadRequest, badQuiz.StatusCode);
        Assert.True((await badQuiz.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("questions[0].correct", out _));
        Assert.False(await _h.WithDbAsync(db => db.ContentItems.AnyAsync()));

        var created = await key.PostAsJsonAsync("/api/v1/content-items", new
        {
            kind = "Lesson", title = "微党课：诚信经营", bodyMarkdown = "**诚信**是立身之本。", tags = new[] { "诚信" }, organisationId = _h.BranchA.Id, estimatedMinutes = 5,
            questions = new[] { new { kind = "Multiple", text = "哪些是诚信经营？", options = new[] { "明码标价", "缺斤少两", "童叟无欺" }, correct = "CA", explanation = "A 和 C" } },
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var view = await created.Content.ReadFromJsonAsync<JsonElement>();
        var id = view.GetProperty("id").GetInt32();
        Assert.Equal("<p><strong>诚信</strong>是立身之本。</p>", view.GetProperty("bodyHtml").GetString()!.Trim());
        Assert.Equal("AC", view.GetProperty("questions")[0].GetProperty("correct").GetString());
        Assert.Equal("apikey:console-test", view.GetProperty("authorName").GetString());

        Assert.Equal(HttpStatusCode.OK, (await key.PostAsync($"/api/v1/content-items/{id}/submit", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await key.PostAsync($"/api/v1/content-items/{id}/submit", null)).StatusCode);
        var own = await key.PostAsync($"/api/v1/content-items/{id}/approve", null);
        Assert.Equal(HttpStatusCode.Forbidden, own.StatusCode);
        Assert.True((await own.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("reviewer", out _));
        Assert.Equal(ContentStatus.Review, (await ItemAsync(id)).Status);

        var secretary = await _h.SignedInAsync("shuji-a");
        var approved = await secretary.PostAsync($"/api/v1/content-items/{id}/approve", null);
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        Assert.Equal("Published", (await approved.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());

        var list = await (await key.GetAsync("/api/v1/content-items?kind=Lesson&status=Published&tag=诚信&pageSize=1")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(1, list.GetProperty("total").GetInt32());
        Assert.Equal(id, list.GetProperty("items")[0].GetProperty("id").GetInt32());
        var badList = await key.GetAsync("/api/v1/content-items?status=Gone&pageSize=0");
        Assert.Equal(HttpStatusCode.BadRequest, badList.StatusCode);
        var listErrors = (await badList.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(listErrors.TryGetProperty("status", out _) && listErrors.TryGetProperty("pageSize", out _));
    }

    [Theory]
    [InlineData("<script>alert(1)</script>")]
    [InlineData("[点我](javascript:alert(1))")]
    [InlineData("[点我](JAVASCRIPT:alert(1))")]
    [InlineData("[点我](java\tscript:alert(1))")]
    [InlineData("<javascript:alert(1)>")]
    [InlineData("![图](javascript:alert(1))")]
    [InlineData("[x]: javascript:alert(1)\n\n[点我][x]")]
    [InlineData("<img src=x onerror=alert(1)>")]
    [InlineData("<a href=\"javascript:alert(1)\">点我</a>")]
    public async Task Sanitiser_PreviewAndMemberPages_NeverCarryScript(string hostile)
    {
        var admin = await _h.SignedInAsync("admin");
        var body = "正常段落\n\n" + hostile + "\n\n[官网](https://gov.example/)";
        var token = await ConsoleTestHost.AntiforgeryTokenAsync(admin, "/admin/content/new?kind=Policy");
        var request = new HttpRequestMessage(HttpMethod.Post, "/admin/content/preview")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["Form.BodyMarkdown"] = body }),
        };
        request.Headers.Add("RequestVerificationToken", token);
        var response = await admin.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        AssertSafe(html);
        Assert.Contains("<p>正常段落</p>", html);
        Assert.Contains("href=\"https://gov.example/\"", html);

        // The same body published: the member page and the API's bodyHtml are clean too.
        var id = await _h.WithDbAsync(async db =>
        {
            var item = new ContentItem { Kind = ContentKind.Policy, Title = "测试", BodyMarkdown = body, Status = ContentStatus.Published, CreatedAt = DateTime.UnixEpoch, UpdatedAt = DateTime.UnixEpoch };
            db.ContentItems.Add(item);
            await db.SaveChangesAsync();
            return item.Id;
        });
        var member = await _h.Client().GetStringAsync($"/m/policies/{id}");
        AssertSafe(member[member.IndexOf("<main", StringComparison.Ordinal)..]);
        var api = await (await _h.ApiKeyClient().GetAsync($"/api/v1/content-items/{id}")).Content.ReadFromJsonAsync<JsonElement>();
        AssertSafe(api.GetProperty("bodyHtml").GetString()!);
    }

    /// <summary>Parsed as a browser would: no script element, no on* handler, no href/src that is not http(s) or relative.</summary>
    private static void AssertSafe(string html)
    {
        var document = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(html);
        Assert.Empty(document.QuerySelectorAll("script, iframe, object, embed"));
        foreach (var element in document.All)
            foreach (var attribute in element.Attributes)
            {
                Assert.False(attribute.Name.StartsWith("on", StringComparison.OrdinalIgnoreCase), $"{element.TagName} has {attribute.Name}");
                if (attribute.Name is "href" or "src")
                {
                    var value = new string(attribute.Value.Where(c => !char.IsWhiteSpace(c) && !char.IsControl(c)).ToArray());
                    Assert.False(value.StartsWith("javascript:", StringComparison.OrdinalIgnoreCase) || value.StartsWith("data:", StringComparison.OrdinalIgnoreCase)
                        || value.StartsWith("vbscript:", StringComparison.OrdinalIgnoreCase), $"{element.TagName} {attribute.Name}={attribute.Value}");
                }
            }
    }
}
