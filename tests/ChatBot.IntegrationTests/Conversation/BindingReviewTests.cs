using ChatBot.IntegrationTests.Infrastructure;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ChatBot.Core.Domain;
using ChatBot.Host.Admin;
using Microsoft.EntityFrameworkCore;

namespace ChatBot.IntegrationTests.Conversation;

/// <summary>绑定 姓名 手机号 → the secretary lists, confirms or rejects → the member can (or cannot) use member commands.</summary>
public sealed class BindingReviewTests : IAsyncLifetime
{
    private string Key = "";
    private EngineHarness _h = null!;

    public async Task InitializeAsync()
    {
        _h = await EngineHarness.StartSqliteAsync();
        Key = await TestApiKeys.CreateAsync(_h.Services);
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task Confirm_BindsMemberAndQueuesNotice()
    {
        Assert.Contains("支部书记确认", await _h.SendAsync("wx-liu", "绑定 刘芳 13800000003"));
        var client = Client();
        var pending = await client.GetFromJsonAsync<JsonElement>($"/api/v1/bindings/pending?organisationId={_h.Data.Branch.Id}");
        var entry = Assert.Single(pending.EnumerateArray());
        Assert.Equal("刘芳", entry.GetProperty("memberName").GetString());
        Assert.Equal("138****0003", entry.GetProperty("phoneMasked").GetString());

        var identityId = entry.GetProperty("identityId").GetInt32();
        Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsync($"/api/v1/bindings/{identityId}/confirm", null)).StatusCode);
        Assert.Contains("累计", await _h.SendAsync("wx-liu", "积分"));
        var notice = await _h.WithDbAsync(db => db.Deliveries.SingleAsync(d => d.IdempotencyKey == $"notify:binding-confirmed:{identityId}"));
        Assert.Contains("已由支部书记确认", notice.Payload);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsync($"/api/v1/bindings/{identityId}/confirm", null)).StatusCode);
    }

    [Fact]
    public async Task Reject_LeavesSenderUnbound()
    {
        await _h.SendAsync("wx-chen", "绑定 陈明 13800000004");
        var identityId = await _h.WithDbAsync(db => db.ChannelIdentities.Where(i => i.ExternalId == "wx-chen").Select(i => i.Id).SingleAsync());
        Assert.Equal(HttpStatusCode.NoContent, (await Client().PostAsync($"/api/v1/bindings/{identityId}/reject", null)).StatusCode);
        Assert.Contains("需要先绑定", await _h.SendAsync("wx-chen", "积分"));
        var identity = await _h.WithDbAsync(db => db.ChannelIdentities.SingleAsync(i => i.Id == identityId));
        Assert.Equal(BindingState.Unbound, identity.State);
        Assert.Null(identity.MemberId);
    }

    [Fact]
    public async Task Api_RefusesCallersWithoutKey()
    {
        var anonymous = _h.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/v1/bindings/pending")).StatusCode);
        anonymous.DefaultRequestHeaders.Add(AdminApiGuard.ApiKeyHeader, "wrong");
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync("/api/v1/bindings/1/confirm", null)).StatusCode);
    }

    private HttpClient Client()
    {
        var client = _h.CreateClient();
        client.DefaultRequestHeaders.Add(AdminApiGuard.ApiKeyHeader, Key);
        return client;
    }
}
