using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ChatBot.Channels.DingTalk;
using ChatBot.Core.Domain;
using ChatBot.IntegrationTests.GroupChats;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace ChatBot.IntegrationTests.Delivery;

/// <summary>A DingTalk @-message accepted by one host process is answered by the next one on the same database.</summary>
public sealed class DingTalkAnswerRestartTests
{
    private static readonly JsonNode Vectors = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "protocol-vectors.json")))!;
    private static readonly JsonNode HeaderVector = Vectors["dingtalk_sign"]!.AsArray().Single(v => (string?)v!["id"] == "DT-OUTGOING-HEADER-eryajf")!;
    private static readonly string VectorTimestamp = (string)HeaderVector["timestamp"]!;
    private static readonly string VectorSign = (string)HeaderVector["expected_sign_base64"]!;

    [Fact]
    public async Task Post_IsAnsweredOnceByTheNextHost_WhenTheFirstStopsBetweenAcceptAndSend()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(VectorTimestamp)) + TimeSpan.FromMinutes(1));
        await using var fake = await FakeRobotServer.StartAsync(clock);
        var directory = Path.Combine(Path.GetTempPath(), "chatbot-dt-restart-" + Guid.NewGuid().ToString("N"));
        var body = Vectors["fixtures"]!["dingtalk_outgoing_group_text"]!["body"]!.DeepClone().AsObject();
        body["sessionWebhookExpiredTime"] = (clock.GetUtcNow() + TimeSpan.FromMinutes(89)).ToUnixTimeMilliseconds();

        // First host: accepts (200) and stops before its sender ever runs.
        var first = new GroupChatTestHost(fake, clock, sharedDirectory: directory, deliveryWorker: false);
        using (var client = first.CreateClient())
        using (var request = new HttpRequestMessage(HttpMethod.Post, DingTalkWebhookEndpoints.Path) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") })
        {
            request.Headers.Add("timestamp", VectorTimestamp);
            request.Headers.Add("sign", VectorSign);
            using var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        var accepted = await first.QueryAsync(db => db.Deliveries.SingleAsync());
        Assert.Equal((DeliveryStatus.Pending, DeliveryRoute.DingTalkSession), (accepted.Status, accepted.Route));
        Assert.Empty(first.Engine.Calls);
        await first.DisposeAsync();
        Assert.Empty(fake.Posts);

        // Second host on the same database: runs the engine and posts the answer, once.
        var second = new GroupChatTestHost(fake, clock, sharedDirectory: directory, deliveryWorker: true);
        try
        {
            _ = second.Services; // start it
            var reply = Assert.Single(await fake.WaitForAsync(p => p.Path == "/robot/sendBySession"));
            Assert.Equal("xxxxx", reply.Query["session"]);
            Assert.Equal("你好", Assert.Single(second.Engine.Calls).Text);
            DeliveryStatus status;
            var tries = 0;
            do
            {
                status = await second.QueryAsync(db => db.Deliveries.Select(d => d.Status).SingleAsync());
                if (status == DeliveryStatus.Sent) break;
                await Task.Delay(50);
            } while (++tries < 200);
            Assert.Equal(DeliveryStatus.Sent, status);
            Assert.Single(fake.Posts, p => p.Path == "/robot/sendBySession");
        }
        finally
        {
            await second.DisposeAsync();
            second.DeleteFiles();
        }
    }
}
