using System.Net;
using ChatBot.Core.Domain;
using ChatBot.Host.GroupChats;
using Microsoft.EntityFrameworkCore;

namespace ChatBot.IntegrationTests.GroupChats;

public sealed class GroupChatSettingsTests : GroupChatTestBase
{
    private const string Token = "a9c3secret0robot0token0value0123";

    [Fact]
    public async Task CreateAsync_StoresWebhookAndSecretEncrypted_WhenRowIsReadBack()
    {
        var chat = await AddDingTalkChatAsync(Token);

        var row = await Host.QueryAsync(db => db.GroupChats.AsNoTracking().SingleAsync(g => g.Id == chat));

        Assert.NotNull(row.WebhookUrlProtected);
        Assert.NotNull(row.SecretProtected);
        Assert.DoesNotContain(Token, row.WebhookUrlProtected);
        Assert.DoesNotContain("access_token", row.WebhookUrlProtected);
        Assert.DoesNotContain(DingTalkSecret, row.SecretProtected);
        Assert.DoesNotContain(DingTalkSecret[3..20], row.SecretProtected);
        // Still usable: the protector reads back what was stored.
        Assert.Equal(DingTalkSecret, Host.Get<GroupChatProtector>().TryUnprotect(row.SecretProtected));
    }

    [Fact]
    public async Task GetMaskedAsync_ShowsOnlyMaskedCredentials_WhenRead()
    {
        var chat = await AddDingTalkChatAsync(Token);

        var view = await Settings.GetMaskedAsync(chat);

        Assert.NotNull(view);
        Assert.Equal($"{Fake.BaseUrl}/robot/send?access_token=a9c3****", view.MaskedWebhookUrl);
        Assert.Equal("SEC****", view.MaskedSecret);
        Assert.DoesNotContain(Token, view.ToString());
        Assert.DoesNotContain(DingTalkSecret, view.ToString());
    }

    [Fact]
    public async Task CreateAsync_Refuses_WhenWeComChatIsGivenASecret()
    {
        var org = await Host.AddBranchAsync();

        await Assert.ThrowsAsync<GroupChatSettingsException>(() => Settings.CreateAsync(new GroupChatSettings
        {
            OrganisationId = org, Channel = Channel.WeCom, Name = "群", WebhookUrl = Fake.AddWeComRobot("k"), Secret = "SECxyz",
        }));
    }

    public static TheoryData<string> BrokenCases => ["dingtalk-sign-310000", "dingtalk-token-300001", "wecom-93000", "wecom-93004", "wecom-93008"];

    [Theory]
    [MemberData(nameof(BrokenCases))]
    public async Task ProcessDueAsync_MarksChatBrokenStopsAndReports_UntilSettingsAreFixed(string scenario)
    {
        const string robot = "broken-robot";
        int chat;
        Func<Task> fix;
        switch (scenario)
        {
            case "dingtalk-sign-310000":
                chat = await AddDingTalkChatAsync(robot, robotSecret: DingTalkSecret, enteredSecret: "SECwrong-secret-entered-by-admin");
                fix = () => Settings.UpdateAsync(chat, new GroupChatSettingsUpdate { Secret = DingTalkSecret });
                break;
            case "dingtalk-token-300001":
                var org = await Host.AddBranchAsync();
                chat = await Settings.CreateAsync(new GroupChatSettings
                {
                    OrganisationId = org, Channel = Channel.DingTalk, Name = "群", WebhookUrl = $"{Fake.BaseUrl}/robot/send?access_token=typo",
                });
                fix = () => Settings.UpdateAsync(chat, new GroupChatSettingsUpdate { WebhookUrl = Fake.AddDingTalkRobot(robot, null) });
                break;
            case "wecom-93000":
                chat = await AddWeComChatAsync(robot, registerRobot: false);
                fix = () => Settings.UpdateAsync(chat, new GroupChatSettingsUpdate { WebhookUrl = Fake.AddWeComRobot(robot) });
                break;
            default:
                chat = await AddWeComChatAsync(robot);
                var code = long.Parse(scenario["wecom-".Length..]);
                Fake.AnswerAlways(robot, code, "robot unavailable");
                fix = async () =>
                {
                    Fake.Heal(robot);
                    await Settings.UpdateAsync(chat, new GroupChatSettingsUpdate { WebhookUrl = Fake.AddWeComRobot(robot) });
                };
                break;
        }
        await Queue.EnqueueAsync(chat, "b-1", GroupPush.MarkdownText("通知 1", "第一条"));

        await Host.ProcessDueAsync();
        var triedBeforeBreak = Fake.Posts.Count;
        await Queue.EnqueueAsync(chat, "b-2", GroupPush.Card("通知 2", "第二条", new GroupPushLink("查看", "https://example.org/m/2")));
        Clock.Advance(TimeSpan.FromHours(1));
        await Host.ProcessDueAsync();

        Assert.Equal(1, triedBeforeBreak);
        Assert.Equal(triedBeforeBreak, Fake.Posts.Count); // a broken chat receives nothing more
        var broken = Assert.Single(await Host.Get<IGroupChatHealth>().ListBrokenAsync());
        Assert.Equal(chat, broken.Id);
        Assert.Equal(2, broken.PendingPushes);
        var expectedCode = scenario[(scenario.LastIndexOf('-') + 1)..];
        Assert.Contains(expectedCode, broken.Reason);

        using var client = Host.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/group-chats/broken");
        request.Headers.Add(ChatBot.Host.Admin.AdminApiGuard.ApiKeyHeader, Host.AdminKey);
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await response.Content.ReadAsStringAsync();
        Assert.Contains($"\"id\":{chat}", json);
        Assert.Contains(expectedCode, json);
        Assert.DoesNotContain(robot, json);

        await fix();
        await Host.ProcessDueAsync();

        Assert.Empty(await Host.Get<IGroupChatHealth>().ListBrokenAsync());
        var delivered = Fake.Accepted(robot);
        var cardType = scenario.StartsWith("dingtalk", StringComparison.Ordinal) ? "actionCard" : "template_card";
        Assert.Equal(["markdown", cardType], delivered.Select(p => p.MsgType)); // both waiting pushes, in order
        Assert.Equal(2, await Host.QueryAsync(db => db.Deliveries.CountAsync(d => d.Status == DeliveryStatus.Sent)));
    }

    [Fact]
    public async Task BrokenEndpoint_Answers401_WithoutCredentials()
    {
        using var client = Host.CreateClient();

        using var response = await client.GetAsync("/api/v1/group-chats/broken");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
