using ChatBot.Core.Domain;
using ChatBot.Host.GroupChats;
using ChatBot.IntegrationTests.GroupChats;
using Microsoft.EntityFrameworkCore;

namespace ChatBot.IntegrationTests.Delivery;

/// <summary>Group pushes in the one pipeline: a poison row fails alone, and its chat and the others go on.</summary>
public sealed class GroupPushOutboxTests : GroupChatTestBase
{
    private static GroupPush Notice(int n) =>
        GroupPush.Card($"通知 {n}", $"第 {n} 条支部通知", new GroupPushLink("查看详情", $"https://example.org/m/notice/{n}"));

    [Fact]
    public async Task ProcessDueAsync_FailsPoisonPushAloneAndSendsTheRest_WhenPayloadThrows()
    {
        var first = await AddDingTalkChatAsync("dt-poison");
        var second = await AddWeComChatAsync("wc-after");
        await Queue.EnqueueAsync(first, "p-1", Notice(1));
        await Host.QueryAsync(async db =>
        {
            // Written past the queue's validation (as an older host or another writer could): null text, unknown kind.
            db.Deliveries.Add(new Core.Domain.Delivery { IdempotencyKey = "p-null", GroupChatId = first, Route = DeliveryRoute.DingTalkRobot, Payload = "{\"kind\":\"Text\",\"text\":null}", CreatedAt = Clock.GetUtcNow().UtcDateTime });
            db.Deliveries.Add(new Core.Domain.Delivery { IdempotencyKey = "p-kind", GroupChatId = first, Route = DeliveryRoute.DingTalkRobot, Payload = "{\"kind\":\"Nope\"}", CreatedAt = Clock.GetUtcNow().UtcDateTime });
            return await db.SaveChangesAsync();
        });
        await Queue.EnqueueAsync(first, "p-2", Notice(2));
        await Queue.EnqueueAsync(second, "p-3", Notice(3));

        await Host.ProcessDueAsync();
        await Host.ProcessDueAsync(); // a second pass must not trip over the poison rows again

        Assert.Equal(["通知 1", "通知 2"], Fake.Accepted("dt-poison").Select(CardTitle));
        Assert.Single(Fake.Accepted("wc-after"));
        var rows = await Host.QueryAsync(db => db.Deliveries.ToDictionaryAsync(d => d.IdempotencyKey));
        Assert.Equal(DeliveryStatus.Failed, rows["p-null"].Status);
        Assert.StartsWith("poison row: ", rows["p-null"].LastError);
        Assert.Equal(DeliveryStatus.Failed, rows["p-kind"].Status);
        Assert.All(new[] { "p-1", "p-2", "p-3" }, k => Assert.Equal(DeliveryStatus.Sent, rows[k].Status));
        Assert.All(rows.Values, r => Assert.NotEqual(DeliveryStatus.Sending, r.Status));
    }
}
