using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ChatBot.Host.Admin;
using Microsoft.EntityFrameworkCore;

namespace ChatBot.IntegrationTests.GroupChats;

/// <summary>Values longer than their columns answer 400 naming the field (PostgreSQL would otherwise raise a 500).</summary>
public sealed class OverlongInputTests : GroupChatTestBase
{
    private HttpClient Client()
    {
        var client = Host.CreateClient();
        client.DefaultRequestHeaders.Add(AdminApiGuard.ApiKeyHeader, Host.AdminKey);
        return client;
    }

    [Theory]
    [InlineData("name")]
    [InlineData("conversationId")]
    [InlineData("secret")]
    [InlineData("webhookUrl")]
    public async Task Create_Answers400NamingTheField_WhenValueIsLongerThanItsColumn(string field)
    {
        var org = await Host.AddBranchAsync();
        var body = new Dictionary<string, object?>
        {
            ["organisationId"] = org,
            ["channel"] = "DingTalk",
            ["name"] = field == "name" ? new string('群', 201) : "群",
            ["webhookUrl"] = field == "webhookUrl" ? Fake.AddDingTalkRobot(new string('t', 2000), null) : Fake.AddDingTalkRobot("tok", null),
            ["secret"] = field == "secret" ? "SEC" + new string('s', 600) : null,
            ["conversationId"] = field == "conversationId" ? new string('c', 129) : null,
        };

        using var response = await Client().PostAsJsonAsync("/api/v1/group-chats", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(json.RootElement.GetProperty("errors").TryGetProperty(field, out _), json.RootElement.ToString());
        Assert.Equal(0, await Host.QueryAsync(db => db.GroupChats.CountAsync()));
    }

    [Fact]
    public async Task Push_Answers400NamingIdempotencyKey_WhenKeyIsLongerThanItsColumn()
    {
        var chat = await AddWeComChatAsync("k-long");

        using var response = await Client().PostAsJsonAsync($"/api/v1/group-chats/{chat}/pushes",
            new { idempotencyKey = new string('k', 197), push = new { kind = "Text", text = "通知" } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("idempotencyKey", await response.Content.ReadAsStringAsync());
        Assert.Equal(0, await Host.QueryAsync(db => db.Deliveries.CountAsync()));
    }
}
