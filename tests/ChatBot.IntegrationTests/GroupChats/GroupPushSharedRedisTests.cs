using ChatBot.Core.Domain;
using ChatBot.Host.GroupChats;
using ChatBot.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace ChatBot.IntegrationTests.GroupChats;

/// <summary>Two host instances sharing Redis (limiter, lock, key ring) and one database.</summary>
public sealed class GroupPushSharedRedisTests
{
    [SkippableFact]
    public async Task ProcessDueAsync_KeepsOneBudgetPerRobot_WhenTwoInstancesShareRedis()
    {
        var redis = TestServices.RequireRedis();
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 1, 0, 0, TimeSpan.Zero));
        await using var fake = await FakeRobotServer.StartAsync(clock);
        var prefix = $"test:grouppush:{Guid.NewGuid():N}:";
        var folder = Path.Combine(Path.GetTempPath(), "chatbot-twohosts-" + Guid.NewGuid().ToString("N"));
        await using var hostA = new GroupChatTestHost(fake, clock, redis, prefix, folder);
        await using var hostB = new GroupChatTestHost(fake, clock, redis, prefix, folder);
        try
        {
            _ = hostA.Server;
            _ = hostB.Server;
            var org = await hostA.AddBranchAsync();
            var chat = await hostA.Get<GroupChatSettingsService>().CreateAsync(new GroupChatSettings
            {
                OrganisationId = org, Channel = Channel.DingTalk, Name = "联建支部群",
                WebhookUrl = fake.AddDingTalkRobot("shared-robot", GroupChatTestBase.DingTalkSecret), Secret = GroupChatTestBase.DingTalkSecret,
            });
            for (var n = 1; n <= 60; n++)
                await hostA.Get<GroupPushQueue>().EnqueueAsync(chat, $"shared-{n}",
                    GroupPush.Card($"通知 {n}", "内容", new GroupPushLink("查看", $"https://example.org/m/{n}")));

            var sentByA = 0;
            var sentByB = 0;
            for (var step = 0; step < 200 && fake.Accepted("shared-robot").Count < 60; step++)
            {
                // Who asks first alternates, so both instances send; B reads the secret A wrote (key ring in Redis).
                if (step % 2 == 0)
                {
                    sentByA += (await hostA.ProcessDueAsync()).DeliveriesSent;
                    sentByB += (await hostB.ProcessDueAsync()).DeliveriesSent;
                }
                else
                {
                    sentByB += (await hostB.ProcessDueAsync()).DeliveriesSent;
                    sentByA += (await hostA.ProcessDueAsync()).DeliveriesSent;
                }
                // 7 s steps put the moments the window frees up on both parities.
                clock.Advance(TimeSpan.FromSeconds(7));
            }

            var posts = fake.Accepted("shared-robot");
            Assert.Equal(Enumerable.Range(1, 60).Select(n => $"通知 {n}"),
                posts.Select(p => p.Body.GetProperty("actionCard").GetProperty("title").GetString()));
            Assert.Equal(60, fake.Posts.Count); // nothing sent twice
            var max = posts.Max(p => posts.Count(q => q.At >= p.At && q.At < p.At + TimeSpan.FromMinutes(1)));
            Assert.True(max <= 20, $"max per rolling minute across both instances was {max}");
            Assert.Equal(60, await hostB.QueryAsync(db => db.Deliveries.CountAsync(d => d.Status == DeliveryStatus.Sent)));
            Assert.True(sentByA > 0 && sentByB > 0, $"A sent {sentByA}, B sent {sentByB}");
        }
        finally
        {
            await hostA.DisposeAsync();
            await hostB.DisposeAsync();
            hostA.DeleteFiles();
        }
    }
}
