using ChatBot.Host.Features;
using Microsoft.Extensions.Options;

namespace ChatBot.Host.MemberPages;

/// <summary>
/// Request rules shared by the member pages.
/// </summary>
/// <remarks>
/// <para><b>Why no antiforgery cookie.</b> These pages have no sign-in and no cookie: the only credential is the
/// signed per-member token. Cross-site request forgery needs an ambient credential the browser adds by itself; here
/// there is none. Every POST must carry the token in its <em>form body</em> (a hidden field the page rendered), so a
/// forged request from another site has to know the token already — and whoever knows it could simply open the
/// link. ASP.NET's antiforgery is therefore switched off on these endpoints (it would need a cookie) and replaced by:</para>
/// <list type="bullet">
/// <item>the token in the body, checked for this page's scope, expiry and revocation (<see cref="MemberLinkGate"/>);</item>
/// <item>an origin check as defence in depth: a browser's <c>Sec-Fetch-Site</c> must be <c>same-origin</c> (or
/// <c>none</c>), else an <c>Origin</c> header must be this site; requests from other sites are refused;</item>
/// <item>GET never changes anything (a link preview, a crawler or a forward cannot credit points or sign anyone up);</item>
/// <item><c>Referrer-Policy: same-origin</c> on these pages (the token never leaves in a Referer to another site,
/// and same-origin form posts keep a real <c>Origin</c>), <c>Cache-Control: no-store</c>, <c>X-Robots-Tag: noindex</c>,
/// and the site-wide CSP (<c>form-action 'self'</c>, no inline script, no framing).</item>
/// </list>
/// </remarks>
public static class MemberPageRequests
{
    public static void ApplyHeaders(HttpResponse response)
    {
        response.Headers["Referrer-Policy"] = "same-origin";
        response.Headers.CacheControl = "no-store";
        response.Headers["X-Robots-Tag"] = "noindex, nofollow";
    }

    /// <summary>True unless the browser says the POST came from another site.</summary>
    public static bool IsSameOrigin(HttpRequest request, MemberPagesOptions options)
    {
        var site = request.Headers["Sec-Fetch-Site"].ToString();
        if (site.Length > 0) return site is "same-origin" or "none";
        var origin = request.Headers.Origin.ToString();
        if (origin.Length == 0) return true; // old clients send neither; the token in the body still has to be right
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var from)) return false; // includes "null"
        var own = $"{request.Scheme}://{request.Host.Value}";
        return string.Equals(from.GetLeftPart(UriPartial.Authority), own, StringComparison.OrdinalIgnoreCase)
            || (Uri.TryCreate(options.PublicBaseUrl, UriKind.Absolute, out var configured)
                && string.Equals(from.GetLeftPart(UriPartial.Authority), configured.GetLeftPart(UriPartial.Authority), StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The submitted form, or null when the body is not a form (treated as a request without a token).</summary>
    public static async Task<IFormCollection?> ReadFormAsync(HttpRequest request, CancellationToken ct)
    {
        if (!request.HasFormContentType) return null;
        try
        {
            return await request.ReadFormAsync(ct);
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }
}
