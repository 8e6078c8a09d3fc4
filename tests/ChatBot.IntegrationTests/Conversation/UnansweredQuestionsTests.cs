using ChatBot.IntegrationTests.Infrastructure;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using ChatBot.Core.Demo;
using ChatBot.Core.Domain;
using ChatBot.Host.Admin;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ChatBot.IntegrationTests.Conversation;

/// <summary>
/// No dead end, through the real POST /wechat: an in-domain question nothing answers gets 可能相关 guides and the
/// 人工 hint and lands on the admins' list; 人工 records for a person; an unrelated question gets what the bot can do.
/// </summary>
public sealed class UnansweredQuestionsTests : IAsyncLifetime
{
    private string Key = "";
    private const string Contact = "测试个私党委 张老师";
    private EngineHarness _h = null!;

    public static Dictionary<string, string?> Settings => new(EngineHarness.WeChatPlain)
    {
        ["Assistance:CommitteeContact"] = Contact,
    };

    public async Task InitializeAsync()
    {
        _h = await WithDemoGuidesAsync(await EngineHarness.StartSqliteAsync(Settings));
        Key = await TestApiKeys.CreateAsync(_h.Services);
    }

    /// <summary>The demo guides, so that "closest guides" has something to choose from.</summary>
    public static async Task<EngineHarness> WithDemoGuidesAsync(EngineHarness harness)
    {
        await harness.WithDbAsync(async db =>
        {
            db.ContentItems.AddRange(DemoContent.Policies(harness.Time.GetUtcNow().UtcDateTime));
            return await db.SaveChangesAsync();
        });
        await harness.Services.GetRequiredService<ChatBot.Host.Features.PolicyIndexRefresher>().RefreshAsync(default);
        return harness;
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    private HttpClient Admin()
    {
        var client = _h.CreateClient();
        client.DefaultRequestHeaders.Add(AdminApiGuard.ApiKeyHeader, Key);
        return client;
    }

    [Fact]
    public async Task InDomainQuestionWithNoConfidentGuide_GetsTwoOrThreeRelatedTitlesAndTheHumanHint_AndIsListed()
    {
        var (status, reply) = await _h.PostWeChatAsync("o-shop-1", "个体户可以请几天假吗");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("可能相关", reply);
        Assert.InRange(Regex.Matches(reply, "【可能相关】").Count, 2, 3);
        Assert.Contains("人工", reply);
        Assert.Contains(Contact, reply);

        var list = await Admin().GetFromJsonAsync<JsonElement>("/api/v1/unanswered-questions");
        var item = Assert.Single(list.GetProperty("items").EnumerateArray());
        Assert.Equal("个体户可以请几天假吗", item.GetProperty("question").GetString());
        Assert.Equal("WeChat", item.GetProperty("channel").GetString());
        Assert.Equal("Fallback", item.GetProperty("kind").GetString());
        Assert.False(item.GetProperty("humanRequested").GetBoolean());
        var offered = item.GetProperty("offered").EnumerateArray().Select(o => o.GetString()!).ToList();
        Assert.InRange(offered.Count, 2, 3);
        Assert.All(offered, title => Assert.Contains(title, reply));
        Assert.Equal(1, list.GetProperty("counts").GetProperty("open").GetInt32());
    }

    [Fact]
    public async Task BareHumanAfterARelatedReply_HandsThatQuestionToAPerson_WithTheBranchOfABoundMember()
    {
        await _h.BindAsync("o-member", _h.Data.Members[0].Id);
        // Bound members write through the same /wechat path; BindAsync uses the engine directly with the same sender id.
        var (_, related) = await _h.PostWeChatAsync("o-member", "支部书记说要填个表，什么表");
        Assert.Contains("可能相关", related);

        var (_, human) = await _h.PostWeChatAsync("o-member", "人工");

        Assert.Contains("已记录", human);
        Assert.Contains("工作日", human);
        var row = await _h.WithDbAsync(db => db.UnansweredQuestions.SingleAsync());
        Assert.True(row.HumanRequested);
        Assert.Equal(UnansweredKind.Human, row.Kind);
        Assert.Equal(_h.Data.Branch.Id, row.OrganisationId);
        Assert.Equal(_h.Data.Members[0].Id, row.MemberId);
    }

    [Fact]
    public async Task HumanWithAQuestion_RecordsIt_MaskingPhoneNumbers_AndSaysWhatHappensNext()
    {
        var (status, reply) = await _h.PostWeChatAsync("o-shop-2", "人工 我的店被人投诉了，电话13812345678，怎么处理");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("已记录", reply);
        Assert.Contains("绑定", reply); // unbound: told how a person can reach them
        Assert.DoesNotContain("13812345678", reply);

        var list = await Admin().GetFromJsonAsync<JsonElement>("/api/v1/unanswered-questions?status=open");
        var item = Assert.Single(list.GetProperty("items").EnumerateArray());
        var question = item.GetProperty("question").GetString()!;
        Assert.Contains("我的店被人投诉了", question);
        Assert.DoesNotContain("13812345678", question);
        Assert.Contains("***********", question);
        Assert.True(item.GetProperty("humanRequested").GetBoolean());
        Assert.Equal(1, list.GetProperty("counts").GetProperty("humanRequested").GetInt32());
    }

    [Fact]
    public async Task BareHumanWithNothingBefore_AsksForTheQuestion_AndRecordsNothing()
    {
        var (_, reply) = await _h.PostWeChatAsync("o-shop-3", "人工");

        Assert.Contains("请在“人工”后写上您的问题", reply);
        Assert.Equal(0, await _h.WithDbAsync(db => db.UnansweredQuestions.CountAsync()));
    }

    [Fact]
    public async Task OutOfDomainQuestion_GetsAShortNoteOfWhatTheBotCanDo_AndIsNotListed()
    {
        var (status, reply) = await _h.PostWeChatAsync("o-shop-4", "明天下雨吗");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("答不上来", reply);
        Assert.Contains("政策 营业执照", reply);
        Assert.Contains("帮助", reply);
        Assert.DoesNotContain("可能相关", reply);
        Assert.Equal(0, await _h.WithDbAsync(db => db.UnansweredQuestions.CountAsync()));
    }

    [Fact]
    public async Task ConfidentAnswer_IsNotListed()
    {
        var (_, reply) = await _h.PostWeChatAsync("o-shop-5", "开饭店要办什么许可证");

        Assert.Contains("食品经营许可", reply);
        Assert.DoesNotContain("可能相关", reply);
        Assert.Equal(0, await _h.WithDbAsync(db => db.UnansweredQuestions.CountAsync()));
    }

    [Fact]
    public async Task List_IsNewestFirst_Paged_FilteredByDateAndStatus_AndResolveClosesOne()
    {
        await _h.PostWeChatAsync("o-a", "个体户可以请几天假吗");
        _h.Time.Advance(TimeSpan.FromDays(2));
        await _h.PostWeChatAsync("o-b", "支部书记说要填个表，什么表");
        var admin = Admin();

        var first = await admin.GetFromJsonAsync<JsonElement>("/api/v1/unanswered-questions?page=1&pageSize=1");
        Assert.Equal(2, first.GetProperty("total").GetInt32());
        var newest = Assert.Single(first.GetProperty("items").EnumerateArray());
        // Stored as the engine sees it: NFKC turns the full-width comma into ','.
        Assert.Equal("支部书记说要填个表,什么表", newest.GetProperty("question").GetString());
        var second = await admin.GetFromJsonAsync<JsonElement>("/api/v1/unanswered-questions?page=2&pageSize=1");
        Assert.Equal("个体户可以请几天假吗", second.GetProperty("items")[0].GetProperty("question").GetString());

        // 2026-11-23 (the harness's day, Shanghai) holds only the older one.
        var day = await admin.GetFromJsonAsync<JsonElement>("/api/v1/unanswered-questions?from=2026-11-23&to=2026-11-23");
        Assert.Equal("个体户可以请几天假吗", Assert.Single(day.GetProperty("items").EnumerateArray()).GetProperty("question").GetString());

        var id = newest.GetProperty("id").GetInt64();
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsync($"/api/v1/unanswered-questions/{id}/resolve", null)).StatusCode);
        var open = await admin.GetFromJsonAsync<JsonElement>("/api/v1/unanswered-questions");
        Assert.Equal("个体户可以请几天假吗", Assert.Single(open.GetProperty("items").EnumerateArray()).GetProperty("question").GetString());
        var resolved = await admin.GetFromJsonAsync<JsonElement>("/api/v1/unanswered-questions?status=resolved");
        Assert.Equal(id, Assert.Single(resolved.GetProperty("items").EnumerateArray()).GetProperty("id").GetInt64());
        Assert.Equal(1, resolved.GetProperty("counts").GetProperty("resolved").GetInt32());
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsync("/api/v1/unanswered-questions/999999/resolve", null)).StatusCode);
    }

    [Theory]
    [InlineData("page=0", "page")]
    [InlineData("pageSize=500", "pageSize")]
    [InlineData("status=maybe", "status")]
    [InlineData("from=yesterday", "from")]
    [InlineData("to=2026-13-40", "to")]
    [InlineData("from=2026-11-25&to=2026-11-20", "from")]
    public async Task List_Returns400NamingTheField_ForBadInput(string query, string field)
    {
        var response = await Admin().GetAsync("/api/v1/unanswered-questions?" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(body.GetProperty("errors").TryGetProperty(field, out _), body.ToString());
    }

    [Fact]
    public async Task List_AndResolve_AreBehindTheAdminGuard()
    {
        var anonymous = _h.CreateClient();
        anonymous.DefaultRequestHeaders.Add(AdminApiGuard.ApiKeyHeader, "wrong");

        // The guard (console sign-in or an API key) answers a wrong key 401 before the endpoint runs.
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/v1/unanswered-questions")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync("/api/v1/unanswered-questions/1/resolve", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _h.CreateClient().GetAsync("/api/v1/unanswered-questions")).StatusCode);
    }
}

/// <summary>The list's queries (scoped counts, correlated look-ups, date bounds) on PostgreSQL.</summary>
public sealed class UnansweredQuestionsPostgresTests
{
    [SkippableFact]
    public async Task FallbackThenHuman_AreListedAndResolvable_OnPostgres()
    {
        var server = ChatBot.IntegrationTests.Infrastructure.TestServices.RequirePostgres();
        await using var h = await UnansweredQuestionsTests.WithDemoGuidesAsync(await EngineHarness.StartPostgresAsync(server, UnansweredQuestionsTests.Settings));
        await h.BindAsync("o-pg", h.Data.Members[1].Id);
        Assert.Contains("可能相关", (await h.PostWeChatAsync("o-pg", "个体户可以请几天假吗")).Reply);
        Assert.Contains("已记录", (await h.PostWeChatAsync("o-pg", "人工")).Reply);
        var admin = h.CreateClient();
        admin.DefaultRequestHeaders.Add(AdminApiGuard.ApiKeyHeader, await ChatBot.IntegrationTests.Infrastructure.TestApiKeys.CreateAsync(h.Services));

        var list = await admin.GetFromJsonAsync<JsonElement>("/api/v1/unanswered-questions?from=2026-11-23&to=2026-11-23&status=all");

        var item = Assert.Single(list.GetProperty("items").EnumerateArray());
        Assert.Equal("测试商圈党支部", item.GetProperty("branch").GetString());
        Assert.Equal(h.Data.Members[1].Name, item.GetProperty("memberName").GetString());
        Assert.Equal(1, item.GetProperty("timesAsked").GetInt32());
        Assert.Equal(1, list.GetProperty("counts").GetProperty("humanRequested").GetInt32());
        var id = item.GetProperty("id").GetInt64();
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsync($"/api/v1/unanswered-questions/{id}/resolve", null)).StatusCode);
        Assert.Equal(1, (await admin.GetFromJsonAsync<JsonElement>("/api/v1/unanswered-questions?status=resolved")).GetProperty("total").GetInt32());
    }
}
