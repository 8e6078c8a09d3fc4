namespace ChatBot.Host.Admin;

/// <summary>
/// Headers on every response (console, member pages, API, webhooks): no inline or foreign script, no framing, no
/// MIME sniffing, no referrer (member links carry a signed token in the query string).
/// </summary>
public static class SecurityHeaders
{
    /// <summary>
    /// Styles may be inline: the member pages carry their own small &lt;style&gt; and chart/table libraries set style
    /// attributes; scripts may not, so an injected &lt;script&gt; or onclick= never runs.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; " +
        "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    public static IApplicationBuilder UseChatBotSecurityHeaders(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            await next(context);
        });
}
