using System.Net;
using ChatBot.Host.Admin;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace ChatBot.IntegrationTests.Admin;

/// <summary>/api and /hangfire: credentials, not addresses, grant access.</summary>
public sealed class ApiAccessTests
{
    [Fact]
    public async Task Api_WithoutCredentials_Is401_FromTheTestServer_EvenWithForwardedLoopback()
    {
        await using var h = await ConsoleTestHost.StartAsync();
        var client = h.Client();
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/bindings/pending")).StatusCode);

        using var forged = new HttpRequestMessage(HttpMethod.Get, "/api/v1/bindings/pending");
        forged.Headers.Add("X-Forwarded-For", "127.0.0.1");
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(forged)).StatusCode);

        using var wrongKey = new HttpRequestMessage(HttpMethod.Get, "/api/v1/bindings/pending");
        wrongKey.Headers.Add(AdminApiGuard.ApiKeyHeader, h.ApiKey + "x");
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(wrongKey)).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await h.ApiKeyClient().GetAsync("/api/v1/bindings/pending")).StatusCode);
        using var bearer = new HttpRequestMessage(HttpMethod.Get, "/api/v1/group-chats/broken");
        bearer.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", h.ApiKey);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(bearer)).StatusCode);
    }

    [Fact]
    public async Task Api_FromLoopbackPeer_IsStill401()
    {
        // Every request arrives from 127.0.0.1, as behind a reverse proxy on the same host.
        await using var h = await ConsoleTestHost.StartAsync(f => f.ConfigureServices = s =>
            s.AddSingleton<IStartupFilter>(new RemoteAddressStartupFilter(IPAddress.Loopback)));
        var client = h.Client();
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/bindings/pending")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsync("/api/v1/bindings/1/confirm", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/hangfire")).StatusCode);
    }

    [Fact]
    public async Task Api_OverARealLoopbackSocket_IsStill401()
    {
        await using var h = await ConsoleTestHost.StartAsync(realServer: true);
        using var client = new HttpClient { BaseAddress = h.ServerAddress };
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/group-chats/broken")).StatusCode);
        using var forged = new HttpRequestMessage(HttpMethod.Get, "/api/v1/group-chats/broken");
        forged.Headers.Add("X-Forwarded-For", "127.0.0.1");
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(forged)).StatusCode);
    }

    [Theory]
    [InlineData(null)]            // the test server: no peer address at all
    [InlineData("203.0.113.9")]   // a peer that is not a configured proxy
    public async Task ForwardedFor_FromAnUntrustedPeer_DoesNotChangeTheClientAddress(string? peer)
    {
        // The sign-in rate limit is per client address: if X-Forwarded-For were believed, a caller could rotate it to
        // escape the limit (or pose as 127.0.0.1). Spread over "many addresses", the attempts still share one budget.
        await using var h = await ConsoleTestHost.StartAsync(f =>
        {
            if (peer is not null) f.ConfigureServices = s => s.AddSingleton<IStartupFilter>(new RemoteAddressStartupFilter(IPAddress.Parse(peer)));
        });
        var client = h.Client();
        HttpResponseMessage? last = null;
        for (var i = 0; i <= AdminSignIn.AttemptsPerAddress; i++)
        {
            client.DefaultRequestHeaders.Remove("X-Forwarded-For");
            client.DefaultRequestHeaders.Add("X-Forwarded-For", $"198.51.100.{i}");
            last = await ConsoleTestHost.PostLoginAsync(client, "nobody" + i, "wrong-password");
        }
        var body = await last!.Content.ReadAsStringAsync();
        var details = await h.WithDbAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToListAsync(db.AuditEntries.Select(a => a.Detail)));
        Assert.True(body.Contains("过于频繁"), string.Join("\n", details));
        Assert.Equal((HttpStatusCode)429, last.StatusCode);
    }

    [Fact]
    public async Task ForwardedFor_FromAKnownProxy_IsBelieved()
    {
        await using var h = await ConsoleTestHost.StartAsync(f =>
        {
            f.WithSetting("Proxy:KnownProxies:0", "203.0.113.9");
            f.ConfigureServices = s => s.AddSingleton<IStartupFilter>(new RemoteAddressStartupFilter(IPAddress.Parse("203.0.113.9")));
        });
        var client = h.Client();
        for (var i = 0; i <= AdminSignIn.AttemptsPerAddress; i++)
        {
            client.DefaultRequestHeaders.Remove("X-Forwarded-For");
            client.DefaultRequestHeaders.Add("X-Forwarded-For", $"198.51.100.{i}");
            var response = await ConsoleTestHost.PostLoginAsync(client, "nobody" + i, "wrong-password");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode); // each real client has its own budget
        }
    }

    [Fact]
    public async Task Hangfire_IsForSuperAdminsOnly()
    {
        await using var h = await ConsoleTestHost.StartAsync();
        Assert.NotEqual(HttpStatusCode.OK, (await h.Client().GetAsync("/hangfire")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await (await h.SignedInAsync("shuji-a")).GetAsync("/hangfire")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await (await h.SignedInAsync("admin")).GetAsync("/hangfire")).StatusCode);
    }

    [Fact]
    public async Task AccountsPage_IsForSuperAdminsOnly()
    {
        await using var h = await ConsoleTestHost.StartAsync();
        Assert.Equal(HttpStatusCode.Forbidden, (await (await h.SignedInAsync("shuji-a")).GetAsync("/admin/accounts")).StatusCode);
        var page = await (await h.SignedInAsync("admin")).GetAsync("/admin/accounts");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("shuji-b", await page.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Api_WithSecretaryCookie_Works_ButWrongRoleForHangfireIs403()
    {
        await using var h = await ConsoleTestHost.StartAsync();
        var secretary = await h.SignedInAsync("shuji-a");
        Assert.Equal(HttpStatusCode.OK, (await secretary.GetAsync("/api/v1/bindings/pending")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await secretary.GetAsync("/hangfire")).StatusCode);
    }

    private sealed class RemoteAddressStartupFilter(IPAddress address) : IStartupFilter
    {
        public Action<Microsoft.AspNetCore.Builder.IApplicationBuilder> Configure(Action<Microsoft.AspNetCore.Builder.IApplicationBuilder> next) => app =>
        {
            app.Use(nextMiddleware => context =>
            {
                context.Connection.RemoteIpAddress = address;
                return nextMiddleware(context);
            });
            next(app);
        };
    }
}
