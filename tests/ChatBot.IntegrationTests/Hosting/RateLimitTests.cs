using System.Net;
using ChatBot.IntegrationTests.Infrastructure;

namespace ChatBot.IntegrationTests.Hosting;

/// <summary>Per-client limits on the public surfaces, through the real host and the shared limiter.</summary>
public sealed class RateLimitTests
{
    [Fact]
    public async Task MemberPages_Answer429WithRetryAfter_WhenClientExceedsTheLimit_AndOtherSurfacesStillAnswer()
    {
        await using var factory = new ChatBotFactory().WithSetting("RateLimits:MemberPagesPerMinute", "2");
        var client = factory.CreateClient();

        var first = await client.GetAsync("/m/policies/999");
        var second = await client.GetAsync("/m/policies/999");
        var third = await client.GetAsync("/m/policies/999");
        var ready = await client.GetAsync("/readyz");

        Assert.NotEqual(HttpStatusCode.TooManyRequests, first.StatusCode);
        Assert.NotEqual(HttpStatusCode.TooManyRequests, second.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
        Assert.NotNull(third.Headers.RetryAfter?.Delta);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }

    [Theory]
    [InlineData("RateLimits:ReadinessPerMinute", "/readyz", "GET")]
    [InlineData("RateLimits:DingTalkPerMinute", "/dingtalk", "POST")]
    [InlineData("RateLimits:WeChatPerMinute", "/wechat", "POST")]
    public async Task Surface_Answers429_WhenItsLimitIsSpent(string key, string path, string method)
    {
        await using var factory = new ChatBotFactory().WithSetting(key, "1");
        var client = factory.CreateClient();

        using var first = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
        using var second = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        Assert.NotEqual(HttpStatusCode.TooManyRequests, first.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
    }

    [Fact]
    public void Start_FailsNamingTheKey_WhenKnownProxyIsNotAnAddress()
    {
        using var factory = new ChatBotFactory().WithSetting("Proxy:KnownProxies:0", "nginx.local");

        var error = Record.Exception(() => factory.CreateClient());

        Assert.NotNull(error);
        Assert.Contains("Proxy:KnownProxies:0", error.ToString(), StringComparison.Ordinal);
    }
}
