using System.ComponentModel.DataAnnotations;
using System.Globalization;
using ChatBot.Core.Configuration;
using ChatBot.Core.Ports;
using Microsoft.Extensions.Options;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace ChatBot.Host.RateLimits;

/// <summary>
/// Per-client limits on the public, unauthenticated surfaces (<c>RateLimits</c> section), counted in the shared
/// <see cref="IRateLimiter"/> so every instance sees the same totals. Defaults are generous: WeChat and DingTalk
/// call from a small pool of platform addresses, so a tight limit would throttle the platform, not an attacker.
/// </summary>
public sealed class RateLimitsOptions
{
    public const string SectionName = "RateLimits";

    public bool Enabled { get; set; } = true;

    /// <summary>
    /// POST/GET /wechat per client address per minute; 0 (the default) = no limit. WeChat calls back from a small pool
    /// of addresses, so a limit here throttles a busy account's own traffic; every request is signature-checked before
    /// anything else runs. Set one when the endpoint is reachable by more than the platform.
    /// </summary>
    [Range(0, 10_000_000)]
    public int WeChatPerMinute { get; set; }

    /// <summary>POST /dingtalk per client address per minute; 0 (the default) = no limit, for the same reason.</summary>
    [Range(0, 10_000_000)]
    public int DingTalkPerMinute { get; set; }

    /// <summary>Member pages (/m/…) per client address per minute.</summary>
    [Range(1, 1_000_000)]
    public int MemberPagesPerMinute { get; set; } = 300;

    /// <summary>/readyz (it queries the database and Redis) per client address per minute.</summary>
    [Range(1, 1_000_000)]
    public int ReadinessPerMinute { get; set; } = 120;

    /// <summary>
    /// <c>/api/v1</c> requests per minute per API key (or per signed-in console user), counted in each instance;
    /// over it: 429 problem with Retry-After.
    /// </summary>
    [Range(1, 1_000_000)]
    public int ApiPerKeyPerMinute { get; set; } = 600;
}

public static class RateLimitsRegistration
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    public static WebApplicationBuilder AddChatBotRateLimits(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddAnnotatedOptions<RateLimitsOptions>(RateLimitsOptions.SectionName);
        services.AddRateLimiter(o =>
        {
            o.AddPolicy(ApiPolicy, http =>
            {
                var limits = http.RequestServices.GetRequiredService<IOptions<RateLimitsOptions>>().Value;
                if (!limits.Enabled) return RateLimitPartition.GetNoLimiter("off");
                var partition = http.User.FindFirst(Admin.AdminApiGuard.ApiKeyIdClaim)?.Value is { } keyId ? "key:" + keyId
                    : "user:" + (http.User.Identity?.Name ?? http.Connection.RemoteIpAddress?.ToString() ?? "anonymous");
                return RateLimitPartition.GetFixedWindowLimiter(partition, _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = limits.ApiPerKeyPerMinute, Window = Window, QueueLimit = 0, AutoReplenishment = true,
                });
            });
            o.OnRejected = async (context, ct) =>
            {
                var http = context.HttpContext;
                var retry = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : Window;
                http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retry.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = http,
                    ProblemDetails = { Status = 429, Title = "Too Many Requests", Detail = "rate limit of this API key reached; retry after the Retry-After seconds" },
                });
            };
        });
        return builder;
    }

    /// <summary>The policy of the <c>/api/v1</c> group: per API key (or console user) per minute.</summary>
    public const string ApiPolicy = "api-per-key";

    /// <summary>After authentication and authorization, so the limit is partitioned by the caller who was recognised.</summary>
    public static WebApplication UseChatBotApiRateLimits(this WebApplication app)
    {
        app.UseRateLimiter();
        return app;
    }

    /// <summary>
    /// The limits, per client address (after forwarded headers from <c>Proxy:KnownProxies</c> resolved it, see
    /// <c>UseChatBotForwardedHeaders</c>); answers 429 with Retry-After.
    /// </summary>
    public static WebApplication UseChatBotRateLimits(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            var options = context.RequestServices.GetRequiredService<IOptions<RateLimitsOptions>>().Value;
            if (options.Enabled && Bucket(context.Request.Path, options) is var (bucket, limit) && bucket is not null && limit > 0)
            {
                var client = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
                var limiter = context.RequestServices.GetRequiredService<IRateLimiter>();
                var decision = await limiter.TryAcquireAsync($"http:{bucket}:{client}", limit, Window, context.RequestAborted);
                if (!decision.Allowed)
                {
                    context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                    context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(decision.RetryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                    return;
                }
            }
            await next(context);
        });
        return app;
    }

    private static (string? Bucket, int Limit) Bucket(PathString path, RateLimitsOptions options)
    {
        if (path.StartsWithSegments("/wechat", StringComparison.OrdinalIgnoreCase)) return ("wechat", options.WeChatPerMinute);
        if (path.StartsWithSegments("/dingtalk", StringComparison.OrdinalIgnoreCase)) return ("dingtalk", options.DingTalkPerMinute);
        if (path.StartsWithSegments("/m", StringComparison.OrdinalIgnoreCase)) return ("m", options.MemberPagesPerMinute);
        if (path.StartsWithSegments("/readyz", StringComparison.OrdinalIgnoreCase)) return ("readyz", options.ReadinessPerMinute);
        return (null, 0);
    }
}
