using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;

namespace ChatBot.IntegrationTests.Admin;

/// <summary>
/// Every endpoint of the app, read from its route table, must be in one category: console page (anonymous → the
/// sign-in page), API (anonymous → 401), job dashboard (anonymous → 401) or an explicitly public route. A new
/// endpoint that is none of these fails here until someone decides what it is.
/// </summary>
public sealed class AuthorizationMatrixTests : IAsyncLifetime
{
    /// <summary>
    /// Routes anyone may call: webhooks (they verify their own signatures), member pages (signed links), probes, and
    /// the OpenAPI document (it describes the API, it holds no data).
    /// </summary>
    private static readonly string[] PublicRoutes =
    [
        "/", "/admin/login", "/wechat", "/dingtalk", "/healthz", "/readyz", "/openapi/{documentName}.json",
    ];
    private static readonly string[] PublicPrefixes = ["/m/"];

    private ConsoleTestHost _h = null!;

    public async Task InitializeAsync() => _h = await ConsoleTestHost.StartAsync();
    public async Task DisposeAsync() => await _h.DisposeAsync();

    public sealed record Route(string Pattern, string Method, string Url);

    private IReadOnlyList<Route> Routes()
    {
        var routes = new List<Route>();
        foreach (var source in _h.Factory.Services.GetServices<EndpointDataSource>())
            foreach (var endpoint in source.Endpoints.OfType<RouteEndpoint>())
            {
                var pattern = "/" + (endpoint.RoutePattern.RawText ?? "").TrimStart('/');
                var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods is { Count: > 0 } m ? m : ["GET"];
                foreach (var method in methods)
                    routes.Add(new Route(pattern, method, Concrete(endpoint.RoutePattern)));
            }
        return routes.DistinctBy(r => (r.Pattern, r.Method)).OrderBy(r => r.Pattern).ToList();
    }

    /// <summary>A URL that matches the pattern: each parameter becomes 1 (or empty for catch-alls).</summary>
    private static string Concrete(RoutePattern pattern)
    {
        var segments = pattern.PathSegments.Select(s => string.Concat(s.Parts.Select(p => p switch
        {
            RoutePatternLiteralPart literal => literal.Content,
            RoutePatternSeparatorPart separator => separator.Content,
            RoutePatternParameterPart { IsCatchAll: true } => "",
            RoutePatternParameterPart guid when guid.ParameterPolicies.Any(p => p.Content == "guid") => Guid.Empty.ToString(),
            RoutePatternParameterPart => "1",
            _ => "",
        })));
        return "/" + string.Join("/", segments).TrimEnd('/');
    }

    [Fact]
    public async Task EveryEndpoint_IsProtectedOrListedAsPublic()
    {
        var routes = Routes();
        Assert.Contains(routes, r => r.Pattern == "/admin/accounts");
        // 推送's console pages: list, compose (new and a draft's edit), preflight/confirm, the broadcast with its report.
        Assert.Contains(routes, r => r.Pattern == "/admin/broadcasts");
        Assert.Contains(routes, r => r.Pattern == "/admin/broadcasts/new");
        Assert.Contains(routes, r => r.Pattern == "/admin/broadcasts/{id:int}/edit");
        Assert.Contains(routes, r => r.Pattern == "/admin/broadcasts/{id:int}/preflight");
        Assert.Contains(routes, r => r.Pattern == "/admin/broadcasts/{id:int}");
        Assert.Contains(routes, r => r.Pattern.StartsWith("/api/v1/bindings", StringComparison.Ordinal));
        Assert.Contains(routes, r => r.Pattern.StartsWith("/api/v1/group-chats", StringComparison.Ordinal));
        Assert.Contains(routes, r => r.Pattern == "/admin/cadence");
        Assert.Contains(routes, r => r.Pattern.StartsWith("/api/v1/cadence", StringComparison.Ordinal));
        Assert.Contains(routes, r => r.Pattern.StartsWith("/hangfire", StringComparison.Ordinal));
        Assert.Contains(routes, r => r.Pattern == "/admin/api-keys");
        Assert.Contains(routes, r => r.Pattern == "/admin/api-docs");
        Assert.Contains(routes, r => r.Pattern.StartsWith("/api/v1/members", StringComparison.Ordinal));
        Assert.Contains(routes, r => r.Pattern.StartsWith("/api/v1/member-imports", StringComparison.Ordinal));
        Assert.Contains(routes, r => r.Pattern.StartsWith("/api/v1/organisations", StringComparison.Ordinal));
        Assert.Contains(routes, r => r.Pattern.StartsWith("/api/v1/binding-codes", StringComparison.Ordinal));
        // No unversioned JSON API is left.
        Assert.DoesNotContain(routes, r => r.Pattern.StartsWith("/api/", StringComparison.Ordinal) && !r.Pattern.StartsWith("/api/v1/", StringComparison.Ordinal));
        // 内容: console pages and the v1 API are in the walk below (anonymous → sign-in page / 401).
        foreach (var pattern in new[] { "/admin/content", "/admin/content/new", "/admin/content/preview", "/admin/content/{id:int}", "/admin/content/{id:int}/quiz" })
            Assert.Contains(routes, r => r.Pattern == pattern);
        foreach (var (method, pattern) in new[] { ("GET", "/api/v1/content-items"), ("POST", "/api/v1/content-items"), ("GET", "/api/v1/content-items/{id:int}"),
            ("PUT", "/api/v1/content-items/{id:int}"), ("POST", "/api/v1/content-items/{id:int}/submit"), ("POST", "/api/v1/content-items/{id:int}/approve"),
            ("POST", "/api/v1/content-items/{id:int}/reject"), ("POST", "/api/v1/content-items/{id:int}/archive") })
            Assert.Contains(routes, r => r.Method == method && r.Pattern.TrimEnd('/') == pattern);
        foreach (var page in new[] { "/admin/activities", "/admin/activities/{id:int}", "/admin/activities/{id:int}/checkin", "/admin/activities/{id:int}/export",
                     "/admin/study", "/admin/study/{id:int}", "/admin/points", "/admin/points/members/{id:int}" })
            Assert.Contains(routes, r => r.Pattern == page);
        foreach (var prefix in new[] { "/api/v1/activities", "/api/v1/study-tasks", "/api/v1/points" })
            Assert.Contains(routes, r => r.Pattern.StartsWith(prefix, StringComparison.Ordinal));

        var failures = new List<string>();
        var client = _h.Client();
        foreach (var route in routes)
        {
            var isPublic = PublicRoutes.Contains(route.Pattern) || PublicPrefixes.Any(p => route.Pattern.StartsWith(p, StringComparison.Ordinal));
            var url = route.Url == "/" ? "/" : route.Url;
            if (route.Pattern.StartsWith("/admin", StringComparison.Ordinal) && !isPublic)
            {
                var response = await SendAsync(client, route.Method, url);
                var location = response.Headers.Location?.OriginalString ?? "";
                if (response.StatusCode != HttpStatusCode.Redirect || !location.Contains("/admin/login", StringComparison.Ordinal))
                    failures.Add($"{route.Method} {route.Pattern}: anonymous got {(int)response.StatusCode} {location}, expected a redirect to /admin/login");
            }
            else if (route.Pattern.StartsWith("/api/", StringComparison.Ordinal) || route.Pattern == "/api"
                || route.Pattern.StartsWith("/hangfire", StringComparison.Ordinal))
            {
                var response = await SendAsync(client, route.Method, url);
                if (response.StatusCode != HttpStatusCode.Unauthorized)
                    failures.Add($"{route.Method} {route.Pattern}: anonymous got {(int)response.StatusCode}, expected 401");
                // A secretary is signed in but must not get further than her scope; wrong-role pages are 403.
            }
            else if (!isPublic)
            {
                failures.Add($"{route.Method} {route.Pattern}: not a console page, not /api, not listed as public — decide and add it to a category");
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    /// <summary>Member pages are public only behind their signed token: without one every /m route but the policy
    /// guide and the check-in landing page (the printed QR: it shows only what to send in chat, and a wrong code is
    /// 404) answers 403 (GET and POST alike), so a new member page cannot forget the token check.</summary>
    [Fact]
    public async Task MemberPages_WithoutAToken_Answer403_ExceptThePublicPolicyGuide()
    {
        var routes = Routes().Where(r => r.Pattern.StartsWith("/m/", StringComparison.Ordinal)).ToList();
        Assert.Contains(routes, r => r.Pattern == "/m/lessons/{id:int}" && r.Method == "GET");
        Assert.Contains(routes, r => r.Pattern == "/m/lessons/{id:int}/quiz" && r.Method == "POST");
        Assert.Contains(routes, r => r.Pattern == "/m/activities/{id:int}/signup" && r.Method == "POST");
        Assert.Contains(routes, r => r.Pattern == "/m/tasks");
        Assert.Contains(routes, r => r.Pattern == "/m/points");

        var failures = new List<string>();
        var client = _h.Client();
        Assert.Contains(routes, r => r.Pattern == "/m/checkin/{id:int}");
        var publicPages = new[] { "/m/policies/", "/m/checkin/" };
        foreach (var route in routes.Where(r => !publicPages.Any(p => r.Pattern.StartsWith(p, StringComparison.Ordinal))))
        {
            var request = new HttpRequestMessage(new HttpMethod(route.Method), route.Url);
            if (route.Method == "POST")
                request.Content = new FormUrlEncodedContent([new KeyValuePair<string, string>("t", "forged")]);
            var response = await client.SendAsync(request);
            if (response.StatusCode != HttpStatusCode.Forbidden)
                failures.Add($"{route.Method} {route.Pattern}: without a valid token got {(int)response.StatusCode}, expected 403");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task SuperAdminPages_AnswerSecretaries403()
    {
        var secretary = await _h.SignedInAsync("shuji-a");
        Assert.Equal(HttpStatusCode.Forbidden, (await secretary.GetAsync("/admin/accounts")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await secretary.GetAsync("/hangfire")).StatusCode);
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, string method, string url)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), url);
        if (method is "POST" or "PUT" or "PATCH")
            request.Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
        return client.SendAsync(request);
    }
}
