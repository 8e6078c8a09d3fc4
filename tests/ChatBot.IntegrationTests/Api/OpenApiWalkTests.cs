using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;

namespace ChatBot.IntegrationTests.Api;

/// <summary>
/// Generated from the document: every (method, path) in <c>/openapi/v1.json</c> needs an <see cref="IApiSampleSet"/>
/// sample; with a 超级管理员 key it answers the sample's success code, which the document must list; without a key it
/// answers 401. An undocumented endpoint has no path to walk, so every endpoint under /api/v1 must be in the document
/// (checked against the route table too), and a sample for a path the document lacks fails as stale.
/// </summary>
public sealed class OpenApiWalkTests
{
    private static readonly string[] Methods = ["get", "post", "put", "patch", "delete"];

    public static IReadOnlyList<ApiSample> AllSamples() =>
        typeof(IApiSampleSet).Assembly.GetTypes()
            .Where(t => t is { IsAbstract: false, IsInterface: false } && typeof(IApiSampleSet).IsAssignableFrom(t))
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .SelectMany(t => ((IApiSampleSet)Activator.CreateInstance(t)!).Samples())
            .ToList();

    [Fact]
    public async Task EveryDocumentedOperation_HasASample_AnswersItsDocumentedCode_And401WithoutKey()
    {
        await using var h = await ApiTestHost.StartAsync();
        using var anonymous = h.Anonymous();
        using var admin = h.Admin();
        var documentResponse = await anonymous.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, documentResponse.StatusCode);
        using var document = JsonDocument.Parse(await documentResponse.Content.ReadAsStringAsync());
        var paths = document.RootElement.GetProperty("paths");
        Assert.True(document.RootElement.GetProperty("components").GetProperty("securitySchemes").TryGetProperty("bearer", out _), "no bearer security scheme");

        var samples = AllSamples();
        var context = new ApiSampleContext(h.Services) { AdminClient = admin };
        var failures = new List<string>();
        var documented = new HashSet<(string, string)>();
        foreach (var path in paths.EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject().Where(o => Methods.Contains(o.Name)))
            {
                var method = operation.Name.ToUpperInvariant();
                documented.Add((method, path.Name));
                var sample = samples.FirstOrDefault(s => string.Equals(s.Method, method, StringComparison.OrdinalIgnoreCase) && s.Path == path.Name);
                if (sample is null)
                {
                    failures.Add($"{method} {path.Name}: no IApiSampleSet sample");
                    continue;
                }
                var codes = operation.Value.TryGetProperty("responses", out var responses) ? responses.EnumerateObject().Select(r => r.Name).ToHashSet() : [];
                if (NotYetDocumented.Any(prefix => path.Name.StartsWith(prefix, StringComparison.Ordinal)))
                {
                    // Known gap (issue 14 note): these features' endpoints have no response metadata yet. They must
                    // still have a sample and refuse a caller without a key; a new feature is not on this list.
                    using var bare = await sample.Build(context);
                    bare.Headers.Authorization = null;
                    bare.Headers.Remove("X-Api-Key");
                    using var refusedBare = await anonymous.SendAsync(bare);
                    if (refusedBare.StatusCode != HttpStatusCode.Unauthorized)
                        failures.Add($"{method} {path.Name}: without key answered {(int)refusedBare.StatusCode}, expected 401");
                    continue;
                }
                if (!codes.Contains(sample.ExpectedStatus.ToString(System.Globalization.CultureInfo.InvariantCulture)))
                    failures.Add($"{method} {path.Name}: success code {sample.ExpectedStatus} is not in the document's responses ({string.Join(", ", codes)})");
                foreach (var problem in new[] { "401", "403", "429", "500" })
                    if (!codes.Contains(problem)) failures.Add($"{method} {path.Name}: response {problem} not documented");

                try
                {
                    using var request = await sample.Build(context);
                    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", h.AdminKey);
                    using var response = await anonymous.SendAsync(request);
                    if ((int)response.StatusCode != sample.ExpectedStatus)
                        failures.Add($"{method} {path.Name}: with key answered {(int)response.StatusCode}, expected {sample.ExpectedStatus}: {Truncate(await response.Content.ReadAsStringAsync())}");

                    using var unauthenticated = await sample.Build(context);
                    unauthenticated.Headers.Authorization = null;
                    unauthenticated.Headers.Remove("X-Api-Key");
                    using var refused = await anonymous.SendAsync(unauthenticated);
                    if (refused.StatusCode != HttpStatusCode.Unauthorized)
                        failures.Add($"{method} {path.Name}: without key answered {(int)refused.StatusCode}, expected 401");
                }
                catch (Exception ex) when (ex is InvalidOperationException or HttpRequestException or JsonException)
                {
                    failures.Add($"{method} {path.Name}: sample failed: {ex.Message}");
                }
            }
        }
        foreach (var stale in samples.Where(s => !documented.Contains((s.Method.ToUpperInvariant(), s.Path))))
            failures.Add($"{stale.Method} {stale.Path}: sample for an operation the document does not have");

        // Every v1 route of the app is in the document (nothing hidden from it).
        var routes = h.Services.GetServices<Microsoft.AspNetCore.Routing.EndpointDataSource>()
            .SelectMany(s => s.Endpoints).OfType<Microsoft.AspNetCore.Routing.RouteEndpoint>()
            .Where(e => ("/" + e.RoutePattern.RawText?.TrimStart('/')).StartsWith("/api/v1/", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(routes);
        Assert.True(documented.Count >= routes.Count, $"{routes.Count} /api/v1 routes but only {documented.Count} documented operations");
        Assert.True(failures.Count == 0, string.Join("\n", failures) + "\n\ndocument paths: " + string.Join(", ", paths.EnumerateObject().Select(p => p.Name)));
    }

    /// <summary>Endpoints documented without their responses yet (the schedules, cadence, activities, study and points APIs).</summary>
    private static readonly string[] NotYetDocumented =
        ["/api/v1/schedules", "/api/v1/cadence", "/api/v1/activities", "/api/v1/study-tasks", "/api/v1/points"];

    private static string Truncate(string text) => text.Length <= 400 ? text : text[..400] + "…";
}
