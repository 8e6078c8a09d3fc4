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

        var created = await client.PostAsJsonAsync("/api/group-chats", new
        {
            organisationId = branch, channel = "DingTalk", name = "城南市场支部群", webhookUrl = webhook, secret = DingTalkSecret,
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var view = await created.Content.ReadFromJsonAsync<JsonElement>();
        var id = view.GetProperty("id").GetInt32();
        var listed = await client.GetStringAsync($"/api/group-chats?organisationId={branch}");
        Assert.Contains("apit****", listed);
        Assert.DoesNotContain("apitoken0000robot", listed);
        Assert.DoesNotContain(DingTalkSecret, listed);

        var push = new { idempotencyKey = "notice-1", push = new { kind = "Markdown", title = "学习提醒", text = "本周微党课已上线，@我 发送“进度”查看。" } };
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsJsonAsync($"/api/group-chats/{id}/pushes", push)).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsJsonAsync($"/api/group-chats/{id}/pushes", push)).StatusCode);
        await Host.ProcessDueAsync();

        var sent = Assert.Single(Fake.Accepted("apitoken0000robot"));
        Assert.Equal("markdown", sent.MsgType);
        Assert.Contains("本周微党课已上线", sent.Body.GetProperty("markdown").GetProperty("text").GetString());
    }

    [Fact]
    public async Task Api_RejectsBadInputAndUnknownChats()
    {
        var client = Client();
        var bad = await client.PostAsJsonAsync("/api/group-chats", new { organisationId = 1, channel = "DingTalk", name = "", webhookUrl = "not a url" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PutAsJsonAsync("/api/group-chats/9999", new { name = "x" })).StatusCode);
        var push = new { idempotencyKey = "k", push = new { kind = "Text", text = "hi" } };
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsJsonAsync("/api/group-chats/9999/pushes", push)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Host.CreateClient().GetAsync("/api/group-chats?organisationId=1")).StatusCode);
    }

    private HttpClient Client()
    {
        var client = Host.CreateClient();
        client.DefaultRequestHeaders.Add(AdminApiGuard.ApiKeyHeader, "test-admin-key");
        return client;
    }
}
