using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ChatBot.Host.Admin;

namespace ChatBot.IntegrationTests.GroupChats;

/// <summary>An operator registers a branch group chat and pushes to it through the admin API, end to end.</summary>
public sealed class GroupChatApiTests : GroupChatTestBase
{
    [Fact]
    public async Task CreateThenPush_DeliversSignedMarkdownOnce_AndShowsOnlyMaskedCredentials()
    {
        var branch = await Host.AddBranchAsync();
        var webhook = Fake.AddDingTalkRobot("apitoken0000robot", DingTalkSecret);
        var client = Client();

        var created = await client.PostAsJsonAsync("/api/v1/group-chats", new
        {
            organisationId = branch, channel = "DingTalk", name = "城南市场支部群", webhookUrl = webhook, secret = DingTalkSecret,
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var view = await created.Content.ReadFromJsonAsync<JsonElement>();
        var id = view.GetProperty("id").GetInt32();
        var listed = await client.GetStringAsync($"/api/v1/group-chats?organisationId={branch}");
        Assert.Contains("apit****", listed);
        Assert.DoesNotContain("apitoken0000robot", listed);
        Assert.DoesNotContain(DingTalkSecret, listed);

        var push = new { idempotencyKey = "notice-1", push = new { kind = "Markdown", title = "学习提醒", text = "本周微党课已上线，@我 发送“进度”查看。" } };
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsJsonAsync($"/api/v1/group-chats/{id}/pushes", push)).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsJsonAsync($"/api/v1/group-chats/{id}/pushes", push)).StatusCode);
        await Host.ProcessDueAsync();

        var sent = Assert.Single(Fake.Accepted("apitoken0000robot"));
        Assert.Equal("markdown", sent.MsgType);
        Assert.Contains("本周微党课已上线", sent.Body.GetProperty("markdown").GetProperty("text").GetString());
    }

    [Fact]
    public async Task Api_RejectsBadInputAndUnknownChats()
    {
        var client = Client();
        var bad = await client.PostAsJsonAsync("/api/v1/group-chats", new { organisationId = 1, channel = "DingTalk", name = "", webhookUrl = "not a url" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PutAsJsonAsync("/api/v1/group-chats/9999", new { name = "x" })).StatusCode);
        var push = new { idempotencyKey = "k", push = new { kind = "Text", text = "hi" } };
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsJsonAsync("/api/v1/group-chats/9999/pushes", push)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Host.CreateClient().GetAsync("/api/v1/group-chats?organisationId=1")).StatusCode);
    }

    [Theory]
    [InlineData("""{"kind":"Text","text":null}""", "push.text")]
    [InlineData("""{"kind":"Markdown","text":"正文"}""", "push.title")]
    [InlineData("""{"kind":"Card","title":"标题","text":"正文","links":null}""", "push.links")]
    [InlineData("""{"kind":"News","links":[]}""", "push.links")]
    [InlineData("""{"kind":"News","links":[{"title":"指南","url":"javascript:alert(1)"}]}""", "push.links[0].url")]
    [InlineData("""{"kind":"Text","text":"hi","mentionMobiles":null}""", "push.mentionMobiles")]
    public async Task Push_Answers400NamingTheFieldAndQueuesNothing_WhenPushCouldNeverBeRendered(string pushJson, string field)
    {
        var branch = await Host.AddBranchAsync();
        var webhook = Fake.AddDingTalkRobot("poisontoken00robot", DingTalkSecret);
        var client = Client();
        var created = await client.PostAsJsonAsync("/api/v1/group-chats", new
        {
            organisationId = branch, channel = "DingTalk", name = "城北市场支部群", webhookUrl = webhook, secret = DingTalkSecret,
        });
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();

        using var content = new StringContent($$"""{"idempotencyKey":"poison-1","push":{{pushJson}}}""", System.Text.Encoding.UTF8, "application/json");
        var response = await client.PostAsync($"/api/v1/group-chats/{id}/pushes", content);
        var good = new { idempotencyKey = "after-poison", push = new { kind = "Text", text = "之后的正常推送" } };
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsJsonAsync($"/api/v1/group-chats/{id}/pushes", good)).StatusCode);
        await Host.ProcessDueAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        var sent = Assert.Single(Fake.Accepted("poisontoken00robot"));
        Assert.Contains("之后的正常推送", sent.Body.GetRawText());
    }

    [Fact]
    public async Task Push_KeysArePerChat_AndAReusedKeyWithAnotherPayloadIs409()
    {
        var branch = await Host.AddBranchAsync();
        var client = Client();
        var ids = new List<int>();
        foreach (var token in new[] { "perchattoken0001", "perchattoken0002" })
        {
            var created = await client.PostAsJsonAsync("/api/v1/group-chats", new
            {
                organisationId = branch, channel = "DingTalk", name = "群" + token[^1], webhookUrl = Fake.AddDingTalkRobot(token, DingTalkSecret), secret = DingTalkSecret,
            });
            ids.Add((await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32());
        }
        var push = new { idempotencyKey = "weekly-1", push = new { kind = "Text", text = "本周学习安排" } };

        var first = await client.PostAsJsonAsync($"/api/v1/group-chats/{ids[0]}/pushes", push);
        var otherChat = await client.PostAsJsonAsync($"/api/v1/group-chats/{ids[1]}/pushes", push);
        var repeat = await client.PostAsJsonAsync($"/api/v1/group-chats/{ids[0]}/pushes", push);
        var changed = await client.PostAsJsonAsync($"/api/v1/group-chats/{ids[0]}/pushes",
            new { idempotencyKey = "weekly-1", push = new { kind = "Text", text = "改过的内容" } });
        await Host.ProcessDueAsync();

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, otherChat.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, repeat.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, changed.StatusCode);
        Assert.Contains("本周学习安排", Assert.Single(Fake.Accepted("perchattoken0001")).Body.GetRawText());
        Assert.Contains("本周学习安排", Assert.Single(Fake.Accepted("perchattoken0002")).Body.GetRawText());
    }

    private HttpClient Client()
    {
        var client = Host.CreateClient();
        client.DefaultRequestHeaders.Add(AdminApiGuard.ApiKeyHeader, Host.AdminKey);
        return client;
    }
}
