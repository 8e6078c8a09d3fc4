using ChatBot.Core.Domain;
using ChatBot.IntegrationTests.Data;
using ChatBot.IntegrationTests.WeChat;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace ChatBot.IntegrationTests.Delivery;

/// <summary>The outbox on PostgreSQL: the same insert statement, and two hosts sending the same rows.</summary>
public sealed class OutboxPostgresTests
{
    [SkippableFact]
    public async Task EnqueueAsync_CountsOnlyNewRows_OnPostgres()
    {
        await using var api = await FakeWeChatApi.StartAsync();
        await using var database = await TestDatabase.CreatePostgresAsync();
        await using var host = new DeliveryTestHost(database, api, new FakeTimeProvider(DeliveryTestHost.Start));
        var members = await host.AddWeChatMembersAsync(2, TimeSpan.FromHours(1));

        var first = await host.Outbox.EnqueueAsync([DeliveryTestHost.MemberItem(members[0].MemberId, "pg-1")], default);
        var second = await host.Outbox.EnqueueAsync(
            [DeliveryTestHost.MemberItem(members[0].MemberId, "pg-1"), DeliveryTestHost.MemberItem(members[1].MemberId, "pg-2"), DeliveryTestHost.MemberItem(members[1].MemberId, "pg-2")], default);

        Assert.Equal((1, 1), (first, second));
        Assert.Equal(["pg-1", "pg-2"], await host.QueryAsync(db => db.Deliveries.OrderBy(d => d.Id).Select(d => d.IdempotencyKey).ToListAsync()));
    }

    [SkippableFact]
    public async Task ProcessDueAsync_SendsEachRecipientExactlyOnce_WhenTwoHostsSendTheSameRows()
    {
        await using var api = await FakeWeChatApi.StartAsync();
        await using var database = await TestDatabase.CreatePostgresAsync();
        var clock = new FakeTimeProvider(DeliveryTestHost.Start);
        await using var hostA = new DeliveryTestHost(database, api, clock);
        await using var hostB = new DeliveryTestHost(database, api, clock);
        var members = await hostA.AddWeChatMembersAsync(120, TimeSpan.FromHours(1));
        await hostA.Outbox.EnqueueAsync(members.Select(m => DeliveryTestHost.MemberItem(m.MemberId, $"run-1:{m.MemberId}")).ToList(), default);

        // Both read the same due rows at the same time; only the claim decides who sends each.
        for (var round = 0; round < 10; round++)
        {
            var settled = await Task.WhenAll(hostA.Sender.ProcessDueAsync(), hostB.Sender.ProcessDueAsync());
            if (settled.Sum() == 0) break;
        }

        var received = api.Delivered.Select(c => c.Body!["touser"]!.GetValue<string>()).ToList();
        Assert.Equal(members.Select(m => m.OpenId).Order(), received.Order());
        Assert.Equal(120, await hostB.QueryAsync(db => db.Deliveries.CountAsync(d => d.Status == DeliveryStatus.Sent)));
    }
}
