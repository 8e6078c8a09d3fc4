using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ChatBot.Core.Domain;
using ChatBot.Host.Admin;
using ChatBot.Host.GroupChats;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace ChatBot.IntegrationTests.GroupChats;

/// <summary>
/// Request forgery through group-chat webhooks, against the real host: internal and look-alike URLs refused when a
/// chat is saved (400 naming webhookUrl, nothing stored), a row that slipped past the rule refused at send time, a
/// redirecting robot not followed, an oversized answer not read. The canary endpoint must never be hit.
/// </summary>
public sealed class WebhookForgeryTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 23, 1, 0, 0, TimeSpan.Zero));
    private FakeRobotServer _fake = null!;
    private HostileServer _hostile = null!;
    private GroupChatTestHost _host = null!;

    public async Task InitializeAsync()
    {
        _fake = await FakeRobotServer.StartAsync(_clock);
        _hostile = await HostileServer.StartAsync();
        _host = new GroupChatTestHost(_fake, _clock, extraWebhookBaseUrls:
            [$"{_hostile.BaseUrl}/redirect/robot/send", $"{_hostile.BaseUrl}/big/robot/send"]);
        _ = _host.Server;
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _host.DeleteFiles();
        await _hostile.DisposeAsync();
        await _fake.DisposeAsync();
    }

    private HttpClient Client()
    {
        var client = _host.CreateClient();
        client.DefaultRequestHeaders.Add(AdminApiGuard.ApiKeyHeader, _host.AdminKey);
        return client;
    }

    [Theory]
    [InlineData("DingTalk", "http://127.0.0.1:1/robot/send?access_token=x")]
    [InlineData("DingTalk", "http://169.254.169.254/latest/meta-data/?access_token=x")]
    [InlineData("DingTalk", "http://oapi.dingtalk.com/robot/send?access_token=x")]
    [InlineData("DingTalk", "https://oapi.dingtalk.com.evil.test/robot/send?access_token=x")]
    [InlineData("DingTalk", "https://user@oapi.dingtalk.com/robot/send?access_token=x")]
    [InlineData("DingTalk", "https://oapi.dingtalk.com/robot/sendBySession?session=x")]
    [InlineData("DingTalk", "https://oapi.dingtalk.com/robot/send")]
    [InlineData("DingTalk", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=x")]
    [InlineData("WeCom", "https://oapi.dingtalk.com/robot/send?access_token=x")]
    [InlineData("WeCom", "https://qyapi.weixin.qq.com:8443/cgi-bin/webhook/send?key=x")]
    [InlineData("WeCom", "https://10.0.0.8/cgi-bin/webhook/send?key=x")]
    public async Task Create_Answers400NamingWebhookUrlAndStoresNothing_WhenUrlIsNotARobotEndpoint(string channel, string url)
    {
        var org = await _host.AddBranchAsync();

        using var response = await Client().PostAsJsonAsync("/api/v1/group-chats", new { organisationId = org, channel, name = "群", webhookUrl = url });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains(channel == "WeCom" ? RobotWebhookPolicy.WeComBase : RobotWebhookPolicy.DingTalkBase,
            body.RootElement.GetProperty("errors").GetProperty("webhookUrl")[0].GetString());
        Assert.Equal(0, await _host.QueryAsync(db => db.GroupChats.CountAsync()));
    }

    [Theory]
    [InlineData("DingTalk", "https://oapi.dingtalk.com/robot/send?access_token=abc")]
    [InlineData("WeCom", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc")]
    public async Task Create_Accepts_WhenUrlIsThePlatformsRobotEndpoint(string channel, string url)
    {
        var org = await _host.AddBranchAsync();

        using var response = await Client().PostAsJsonAsync("/api/v1/group-chats", new { organisationId = org, channel, name = "群", webhookUrl = url });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task Update_Answers400AndKeepsOldUrl_WhenNewUrlIsInternal()
    {
        var org = await _host.AddBranchAsync();
        var id = await _host.Get<GroupChatSettingsService>().CreateAsync(new GroupChatSettings
        {
            OrganisationId = org, Channel = Channel.WeCom, Name = "群", WebhookUrl = _fake.AddWeComRobot("good-key"),
        });

        using var response = await Client().PutAsJsonAsync($"/api/v1/group-chats/{id}", new { webhookUrl = $"{_hostile.BaseUrl}/canary/cgi-bin/webhook/send?key=x" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var view = await _host.Get<GroupChatSettingsService>().GetMaskedAsync(id);
        Assert.StartsWith($"{_fake.BaseUrl}/cgi-bin/webhook/send?key=", view!.MaskedWebhookUrl);
    }

    [Fact]
    public async Task Push_IsNotSentAndChatMarkedBroken_WhenStoredUrlIsOutsideTheRule()
    {
        var id = await CreateChatAsync($"{_fake.BaseUrl}/cgi-bin/webhook/send?key=k1", Channel.WeCom);
        // A row written before the rule existed (or tampered with in the database) points at an internal host.
        var protector = _host.Get<GroupChatProtector>();
        await _host.QueryAsync(async db =>
        {
            var chat = await db.GroupChats.SingleAsync(g => g.Id == id);
            chat.WebhookUrlProtected = protector.Protect($"{_hostile.BaseUrl}/canary/cgi-bin/webhook/send?key=k1");
            return await db.SaveChangesAsync();
        });
        await _host.Get<GroupPushQueue>().EnqueueAsync(id, "ssrf-1", GroupPush.PlainText("内部通知"));

        await _host.ProcessDueAsync();

        Assert.Empty(_hostile.Hits);
        Assert.DoesNotContain(await _host.QueryAsync(db => db.Deliveries.Select(d => d.Status).ToListAsync()), s => s == DeliveryStatus.Sent);
    }

    [Fact]
    public async Task Push_DoesNotFollowRedirect_WhenRobotAnswers307()
    {
        var id = await CreateChatAsync($"{_hostile.BaseUrl}/redirect/robot/send?access_token=t1", Channel.DingTalk);
        await _host.Get<GroupPushQueue>().EnqueueAsync(id, "redirect-1", GroupPush.PlainText("学习通知"));

        await _host.ProcessDueAsync();

        Assert.Equal(["/redirect/robot/send"], _hostile.Hits.Select(h => h.Path).ToArray());
        Assert.DoesNotContain(await _host.QueryAsync(db => db.Deliveries.Select(d => d.Status).ToListAsync()), s => s == DeliveryStatus.Sent);
    }

    [Fact]
    public async Task Push_IsNotCountedSent_WhenAnswerIsLargerThan64KB()
    {
        // errcode 0 followed by a megabyte: reading it all would say "sent"; the capped read refuses to.
        var id = await CreateChatAsync($"{_hostile.BaseUrl}/big/robot/send?access_token=t2", Channel.DingTalk);
        await _host.Get<GroupPushQueue>().EnqueueAsync(id, "big-1", GroupPush.PlainText("学习通知"));

        await _host.ProcessDueAsync();

        Assert.Single(_hostile.Hits);
        Assert.DoesNotContain(await _host.QueryAsync(db => db.Deliveries.Select(d => d.Status).ToListAsync()), s => s == DeliveryStatus.Sent);
    }

    private async Task<int> CreateChatAsync(string url, Channel channel)
    {
        var org = await _host.AddBranchAsync();
        return await _host.Get<GroupChatSettingsService>().CreateAsync(new GroupChatSettings
        {
            OrganisationId = org, Channel = channel, Name = "群", WebhookUrl = url,
        });
    }

    /// <summary>
    /// A robot endpoint gone bad, on loopback: /redirect/… answers 307 to /canary/…, /big/… answers errcode 0 padded
    /// to a megabyte. Every request is recorded; /canary is what a forged or followed request would reach.
    /// </summary>
    private sealed class HostileServer : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly ConcurrentQueue<(string Path, string Query)> _hits = new();

        private HostileServer(WebApplication app) => _app = app;

        public string BaseUrl { get; private set; } = "";

        public IReadOnlyList<(string Path, string Query)> Hits => [.. _hits];

        public static async Task<HostileServer> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
            var app = builder.Build();
            var server = new HostileServer(app);
            app.Use(async (ctx, next) =>
            {
                server._hits.Enqueue((ctx.Request.Path, ctx.Request.QueryString.Value ?? ""));
                await next(ctx);
            });
            app.MapPost("/redirect/robot/send", ctx =>
            {
                ctx.Response.StatusCode = StatusCodes.Status307TemporaryRedirect;
                ctx.Response.Headers.Location = $"{server.BaseUrl}/canary/robot/send{ctx.Request.QueryString}";
                return Task.CompletedTask;
            });
            app.MapPost("/big/robot/send", async ctx =>
            {
                ctx.Response.ContentType = "application/json";
                await ctx.Response.WriteAsync("{\"errcode\":0,\"errmsg\":\"" + new string('x', 1024 * 1024) + "\"}");
            });
            app.MapPost("/canary/{**rest}", async ctx => await ctx.Response.WriteAsJsonAsync(new { errcode = 0, errmsg = "ok" }));
            await app.StartAsync();
            server.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
            return server;
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
