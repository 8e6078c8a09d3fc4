using ChatBot.Core.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace ChatBot.Channels.WeChat;

public static class WeChatRegistration
{
    public const string Route = "/wechat";

    /// <summary>The channel is on when WeChat:Token is set; the embedded demo runs without it (and without secrets).</summary>
    public static bool IsWeChatConfigured(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return !string.IsNullOrWhiteSpace(configuration[$"{WeChatOptions.SectionName}:{nameof(WeChatOptions.Token)}"]);
    }

    /// <summary>
    /// The official-account channel: options (validated at start, naming the key), the API client with
    /// retries for transient failures, the shared access token, the sender and the webhook. Nothing is
    /// registered when WeChat:Token is empty. The host supplies <see cref="IWeChatAsyncReplyQueue"/> (its delivery
    /// outbox; required) and <see cref="ICustomerServiceSendRecorder"/> (default: record nothing).
    /// </summary>
    public static IServiceCollection AddWeChatChannel(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (!IsWeChatConfigured(configuration))
            return services;

        services.AddValidatedOptions<WeChatOptions, WeChatOptionsValidator>(WeChatOptions.SectionName);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<WeChatAccessTokenProvider>();
        services.AddHttpClient<WeChatApiClient>((sp, http) =>
            {
                var baseUrl = sp.GetRequiredService<IOptions<WeChatOptions>>().Value.ApiBaseUrl;
                http.BaseAddress = new Uri(baseUrl.EndsWith('/') ? baseUrl : baseUrl + "/");
            })
            // The default request log prints the URL, and the URL carries access_token.
            .RemoveAllLoggers()
            .AddResilienceHandler("wechat", ConfigureResilience);
        services.AddTransient<WeChatChannelSender>();
        services.TryAddSingleton<ICustomerServiceSendRecorder, NoCustomerServiceSendRecorder>();
        services.AddSingleton<WeChatReplyCoordinator>();
        services.AddSingleton<WeChatWebhookHandler>();
        return services;
    }

    /// <summary>GET/POST /wechat when the channel is configured; otherwise nothing is mapped (404).</summary>
    public static IEndpointRouteBuilder MapWeChat(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var handler = endpoints.ServiceProvider.GetService<WeChatWebhookHandler>();
        if (handler is null)
            return endpoints;
        endpoints.MapGet(Route, handler.HandleGetAsync).DisableAntiforgery();
        endpoints.MapPost(Route, handler.HandlePostAsync).DisableAntiforgery();
        return endpoints;
    }

    /// <summary>
    /// Retries only what cannot have been delivered: a connection that was never made, and errcode -1 (system busy,
    /// WeChat did not act on it), twice with jittered exponential backoff. Every call here is a POST and 客服消息 has no
    /// idempotency key, so a timeout, a dropped connection after sending, 5xx or 429 is NOT retried here: the caller
    /// gets Transient or NoAnswer and the delivery outbox decides (NoAnswer becomes Unknown, never resent
    /// automatically). A per-attempt timeout keeps one stuck call from eating the total.
    /// </summary>
    private static void ConfigureResilience(ResiliencePipelineBuilder<HttpResponseMessage> pipeline)
    {
        pipeline.AddTimeout(TimeSpan.FromSeconds(30));
        pipeline.AddRetry(new HttpRetryStrategyOptions
        {
            MaxRetryAttempts = 2,
            Delay = TimeSpan.FromMilliseconds(300),
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            ShouldHandle = async args => IsSafeToRepeat(args.Outcome)
                || (args.Outcome.Result is { } response && await WeChatHttp.IsBusyAnswerAsync(response).ConfigureAwait(false)),
        });
        pipeline.AddTimeout(TimeSpan.FromSeconds(10));
    }

    internal static bool IsSafeToRepeat(Outcome<HttpResponseMessage> outcome) =>
        outcome.Exception is HttpRequestException request && WeChatHttp.NotSent(request);
}
