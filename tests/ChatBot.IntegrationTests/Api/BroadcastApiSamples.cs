using ChatBot.Core.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static ChatBot.IntegrationTests.Api.ApiSampleContext;

namespace ChatBot.IntegrationTests.Api;

/// <summary>Samples for <c>/api/v1/broadcasts</c>: each builds the broadcast state its call needs through the API.</summary>
public sealed class BroadcastApiSamples : IApiSampleSet
{
    public IEnumerable<ApiSample> Samples() =>
    [
        new("POST", "/api/v1/broadcasts", 201, async c => Request(HttpMethod.Post, "/api/v1/broadcasts", await BodyAsync(c))),
        new("GET", "/api/v1/broadcasts/{id}", 200, async c => Request(HttpMethod.Get, $"/api/v1/broadcasts/{await DraftAsync(c)}")),
        new("POST", "/api/v1/broadcasts/{id}/preflight", 200, async c => Request(HttpMethod.Post, $"/api/v1/broadcasts/{await DraftAsync(c)}/preflight")),
        new("POST", "/api/v1/broadcasts/{id}/confirm", 200, async c => Request(HttpMethod.Post, $"/api/v1/broadcasts/{await DraftAsync(c)}/confirm", new { })),
        new("POST", "/api/v1/broadcasts/{id}/pause", 200, async c => Request(HttpMethod.Post, $"/api/v1/broadcasts/{await RunningAsync(c)}/pause")),
        new("POST", "/api/v1/broadcasts/{id}/resume", 200, async c =>
        {
            var id = await RunningAsync(c);
            await c.SendAsync(HttpMethod.Post, $"/api/v1/broadcasts/{id}/pause");
            return Request(HttpMethod.Post, $"/api/v1/broadcasts/{id}/resume");
        }),
        new("POST", "/api/v1/broadcasts/{id}/cancel", 200, async c => Request(HttpMethod.Post, $"/api/v1/broadcasts/{await RunningAsync(c)}/cancel")),
        new("GET", "/api/v1/broadcasts/{id}/report", 200, async c => Request(HttpMethod.Get, $"/api/v1/broadcasts/{await RunningAsync(c)}/report")),
        new("POST", "/api/v1/broadcasts/{id}/resend-failed", 201, async c =>
        {
            var id = await RunningAsync(c);
            // The run writes its rows in a background job: wait (bounded) until they exist.
            for (var i = 0; i < 200 && await c.WithDbAsync(db => db.Deliveries.CountAsync(d => db.BroadcastRuns.Any(r => r.BroadcastId == id && r.Id == d.BroadcastRunId))) == 0; i++)
                await Task.Delay(50);
            await c.WithDbAsync(db => db.Deliveries.Where(d => db.BroadcastRuns.Any(r => r.BroadcastId == id && r.Id == d.BroadcastRunId))
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.Status, DeliveryStatus.Failed).SetProperty(d => d.LastError, "walk")));
            return Request(HttpMethod.Post, $"/api/v1/broadcasts/{id}/resend-failed", new { });
        }),
    ];

    private static async Task<object> BodyAsync(ApiSampleContext c) => new
    {
        title = "示例通知", text = "请按时参加组织生活。",
        audience = new { organisationIds = new[] { (await DemoData.CommitteeAsync(c)).Id }, includeSubtrees = true, groupChats = false },
    };

    private static async Task<int> DraftAsync(ApiSampleContext c) =>
        (await c.SendAsync(HttpMethod.Post, "/api/v1/broadcasts", await BodyAsync(c))).GetProperty("id").GetInt32();

    /// <summary>A confirmed broadcast with pending rows: one demo member gets a bound WeChat account in the reply window first.</summary>
    private static async Task<int> RunningAsync(ApiSampleContext c)
    {
        await c.WithDbAsync(async db =>
        {
            var member = await db.Members.Where(m => !m.Archived && !db.ChannelIdentities.Any(i => i.MemberId == m.Id)).OrderBy(m => m.Id).FirstAsync();
            var now = c.Services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
            db.ChannelIdentities.Add(new ChannelIdentity
            {
                Channel = Channel.WeChat, ExternalId = "walk-bound-" + Guid.NewGuid().ToString("N"), MemberId = member.Id, State = BindingState.Bound,
                BoundAt = now, Subscribed = true, LastInboundAt = now, CreatedAt = now,
            });
            return await db.SaveChangesAsync();
        });
        var id = await DraftAsync(c);
        await c.SendAsync(HttpMethod.Post, $"/api/v1/broadcasts/{id}/confirm", new { });
        return id;
    }
}
