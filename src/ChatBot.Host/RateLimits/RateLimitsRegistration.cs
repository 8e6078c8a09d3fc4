using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Net;
using ChatBot.Core.Configuration;
using ChatBot.Core.Ports;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

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

    /// <summary>POST/GET /wechat per client address per minute.</summary>
    [Range(1, 1_000_000)]
    public int WeChatPerMinute { get; set; } = 6000;

    /// <summary>POST /dingtalk per client address per minute.</summary>
    [Range(1, 1_000_000)]
    public int DingTalkPerMinute { get; set; } = 6000;

    /// <summary>Member pages (/m/…) per client address per minute.</summary>
    [Range(1, 1_000_000)]
    public int MemberPagesPerMinute { get; set; } = 300;

    /// <summary>/readyz (it queries the database and Redis) per client address per minute.</summary>
    [Range(1, 1_000_000)]
    public int ReadinessPerMinute { get; set; } = 120;
}

/// <summary>
/// The reverse proxy in front of the host (<c>ForwardedHeaders</c> section). Only when <see cref="KnownProxies"/>
/// or <see cref="KnownNetworks"/> is set are X-Forwarded-For/-Proto read, and only from those addresses: the
/// client address (rate limits, logs) and https scheme then come from the proxy, never from any caller.
/// </summary>
public sealed class ForwardedHeadersSettings
{
    public const string SectionName = "ForwardedHeaders";

    /// <summary>Proxy addresses, e.g. <c>127.0.0.1</c> for nginx on the same machine.</summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>Proxy networks in CIDR form, e.g. <c>10.0.0.0/24</c>.</summary>
    public List<string> KnownNetworks { get; set; } = [];

    public bool Enabled => KnownProxies.Count > 0 || KnownNetworks.Count > 0;
}

public sealed class ForwardedHeadersSettingsValidator : IValidateOptions<ForwardedHeadersSettings>
{
    public ValidateOptionsResult Validate(string? name, ForwardedHeadersSettings options)
    {
        var failures = new List<string>();
        for (var i = 0; i < options.KnownProxies.Count; i++)
            if (!IPAddress.TryParse(options.KnownProxies[i], out _))
                failures.Add($"{ForwardedHeadersSettings.SectionName}:KnownProxies:{i} must be an IP address (was '{options.KnownProxies[i]}').");
        for (var i = 0; i < options.KnownNetworks.Count; i++)
            if (!System.Net.IPNetwork.TryParse(options.KnownNetworks[i], out _))
                failures.Add($"{ForwardedHeadersSettings.SectionName}:KnownNetworks:{i} must be a CIDR network such as 10.0.0.0/24 (was '{options.KnownNetworks[i]}').");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

public static class RateLimitsRegistration
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    public static WebApplicationBuilder AddChatBotRateLimits(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddAnnotatedOptions<RateLimitsOptions>(RateLimitsOptions.SectionName);
        services.AddValidatedOptions<ForwardedHeadersSettings, ForwardedHeadersSettingsValidator>(ForwardedHeadersSettings.SectionName);
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ForwardedHeadersSettings>>((o, settings) =>
        {
            // Without a configured proxy nothing is read from the headers: any caller could set them.
            o.ForwardedHeaders = settings.Value.Enabled ? ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto : ForwardedHeaders.None;
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            foreach (var proxy in settings.Value.KnownProxies)
                o.KnownProxies.Add(IPAddress.Parse(proxy));
            foreach (var network in settings.Value.KnownNetworks)
                o.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
        });
        return builder;
    }

    /// <summary>Forwarded headers (when a proxy is configured), then the limits; answers 429 with Retry-After.</summary>
    public static WebApplication UseChatBotRateLimits(this WebApplication app)
    {
        // Options are read when the pipeline is built at start (after validation), not here.
        app.UseForwardedHeaders();
        app.Use(async (context, next) =>
        {
            var options = context.RequestServices.GetRequiredService<IOptions<RateLimitsOptions>>().Value;
            if (options.Enabled && Bucket(context.Request.Path, options) is var (bucket, limit) && bucket is not null)
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
