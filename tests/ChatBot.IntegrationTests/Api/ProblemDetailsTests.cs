using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ChatBot.Host.GroupChats;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ChatBot.IntegrationTests.Api;

/// <summary>Every error under /api is an RFC 9457 problem (application/problem+json, status, title, traceId).</summary>
public sealed class ProblemDetailsTests : IAsyncLifetime
{
    private ApiTestHost _h = null!;

    public async Task InitializeAsync() => _h = await ApiTestHost.StartAsync(f =>
    {
        f.Settings["RateLimits:ApiPerKeyPerMinute"] = "1000";
        f.ConfigureServices = s => s.Replace(ServiceDescriptor.Singleton<IGroupChatHealth, ExplodingHealth>());
    });

    public async Task DisposeAsync() => await _h.DisposeAsync();

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = JsonDocument.Parse(text).RootElement;
        Assert.Equal((int)status, body.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("title").GetString()));
        Assert.False(string.IsNullOrEmpty(body.GetProperty("traceId").GetString()));
        return body;
    }

    [Fact]
    public async Task Status400_NamesTheField()
    {
        var body = await ProblemAsync(await _h.Admin().GetAsync("/api/v1/members?pageSize=500"), HttpStatusCode.BadRequest);
        Assert.True(body.GetProperty("errors").TryGetProperty("pageSize", out _));
        var create = await ProblemAsync(await _h.Admin().PostAsJsonAsync("/api/v1/members", new { organisationId = 1, name = "", status = "Full" }), HttpStatusCode.BadRequest);
        Assert.True(create.GetProperty("errors").TryGetProperty("name", out _));
    }

    [Fact]
    public async Task Status400_ForUnreadableJson()
    {
        using var content = new StringContent("{not json", Encoding.UTF8, "application/json");
        await ProblemAsync(await _h.Admin().PostAsync("/api/v1/members", content), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Status401_WithoutOrWithAWrongKey()
    {
        await ProblemAsync(await _h.Anonymous().GetAsync("/api/v1/members"), HttpStatusCode.Unauthorized);
        await ProblemAsync(await _h.WithKey("cbk_not-a-real-key").GetAsync("/api/v1/members"), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Status404_ForUnknownIdsAndUnknownRoutes()
    {
        await ProblemAsync(await _h.Admin().GetAsync("/api/v1/members/99999999"), HttpStatusCode.NotFound);
        await ProblemAsync(await _h.Admin().GetAsync("/api/v1/no-such-thing"), HttpStatusCode.NotFound);
        await ProblemAsync(await _h.Anonymous().GetAsync("/api/old-path"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Status405_And415()
    {
        await ProblemAsync(await _h.Admin().DeleteAsync("/api/v1/members"), HttpStatusCode.MethodNotAllowed);
        using var text = new StringContent("name=x", Encoding.UTF8, "text/plain");
        await ProblemAsync(await _h.Admin().PostAsync("/api/v1/members", text), HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task Status409_WhenThePhoneBelongsToAnotherMember()
    {
        var phone = await _h.WithDbAsync(db => Task.FromResult(db.Members.First(m => m.Phone != null).Phone));
        var branch = await _h.WithDbAsync(db => Task.FromResult(db.Organisations.First(o => o.Kind != ChatBot.Core.Domain.OrganisationKind.Committee).Id));
        var body = await ProblemAsync(await _h.Admin().PostAsJsonAsync("/api/v1/members", new { organisationId = branch, name = "重号", phone, status = "Full" }), HttpStatusCode.Conflict);
        Assert.Contains("手机号", body.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Status422_ForAReusedIdempotencyKeyWithAnotherBody()
    {
        var branch = await _h.WithDbAsync(db => Task.FromResult(db.Organisations.First(o => o.Kind != ChatBot.Core.Domain.OrganisationKind.Committee).Id));
        var client = _h.Admin();
        client.DefaultRequestHeaders.Add("Idempotency-Key", "problem-422");
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/api/v1/binding-codes", new { organisationId = branch, validDays = 3 })).StatusCode);
        await ProblemAsync(await client.PostAsJsonAsync("/api/v1/binding-codes", new { organisationId = branch, validDays = 4 }), HttpStatusCode.UnprocessableEntity);
    }

    [Fact]
    public async Task Status500_HasATraceIdAndNoExceptionText()
    {
        var body = await ProblemAsync(await _h.Admin().GetAsync("/api/v1/group-chats/broken"), HttpStatusCode.InternalServerError);
        var raw = body.GetRawText();
        Assert.DoesNotContain(ExplodingHealth.Secret, raw);
        Assert.DoesNotContain("at ChatBot", raw);
    }

    [Fact]
    public async Task ConsolePages_KeepTheirBehaviour()
    {
        var page = await _h.Anonymous().GetAsync("/admin/members");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        var missing = await _h.Anonymous().GetAsync("/admin/no-such-page");
        Assert.NotEqual("application/problem+json", missing.Content.Headers.ContentType?.MediaType);
    }

    private sealed class ExplodingHealth : IGroupChatHealth
    {
        public const string Secret = "Host=db;Password=hunter2";
        public Task<IReadOnlyList<BrokenGroupChat>> ListBrokenAsync(CancellationToken ct = default) => throw new InvalidOperationException(Secret);
    }
}

/// <summary>Per-key limits: over the limit a 429 problem with Retry-After; another key has its own budget.</summary>
public sealed class ApiRateLimitTests
{
    [Fact]
    public async Task OverTheLimit_Is429WithRetryAfter_PerKey()
    {
        await using var h = await ApiTestHost.StartAsync(f => f.Settings["RateLimits:ApiPerKeyPerMinute"] = "3", demo: false);
        var client = h.Admin();
        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/organisations/tree")).StatusCode);
        var refused = await client.GetAsync("/api/v1/organisations/tree");
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);

        var other = await ChatBot.IntegrationTests.Infrastructure.TestApiKeys.CreateAsync(h.Services, name: "other");
        Assert.Equal(HttpStatusCode.OK, (await h.WithKey(other).GetAsync("/api/v1/organisations/tree")).StatusCode);
    }

    [Fact]
    public async Task InvalidLimit_StopsTheHost()
    {
        var ex = await Record.ExceptionAsync(async () =>
        {
            await using var h = await ApiTestHost.StartAsync(f => f.Settings["RateLimits:ApiPerKeyPerMinute"] = "0", demo: false);
        });
        Assert.NotNull(ex);
        Assert.Contains("ApiPerKeyPerMinute", ex.ToString());
    }
}
