using System.Net.Http.Json;
using System.Text.Json;
using ChatBot.Host.Data;
using Microsoft.Extensions.DependencyInjection;

namespace ChatBot.IntegrationTests.Api;

/// <summary>
/// One documented call of the v1 API, used by the test that walks <c>/openapi/v1.json</c>: every (method, path) in the
/// document must have a sample, the sample's request must answer <see cref="ExpectedStatus"/> with a key, and 401
/// without one. <see cref="Path"/> is the path template exactly as the document names it, e.g.
/// <c>/api/v1/broadcasts/{id}</c>.
/// </summary>
public sealed record ApiSample(string Method, string Path, int ExpectedStatus, Func<ApiSampleContext, Task<HttpRequestMessage>> Build);

/// <summary>
/// What a sample may use to set up the data its request needs: the host's services (seed through a scope's
/// ChatBotDbContext or the feature's own services). The host runs with the demo seed, as a 超级管理员 key.
/// </summary>
public sealed class ApiSampleContext(IServiceProvider services)
{
    public IServiceProvider Services { get; } = services;

    /// <summary>A client that already sends the 超级管理员 key, for setup calls through the API itself (set by the runner).</summary>
    public HttpClient? AdminClient { get; init; }

    /// <summary>Runs <paramref name="work"/> on a fresh scope's DbContext.</summary>
    public async Task<T> WithDbAsync<T>(Func<ChatBotDbContext, Task<T>> work)
    {
        await using var scope = Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<ChatBotDbContext>());
    }

    /// <summary>A setup call with the admin key; fails the sample when it does not answer 2xx.</summary>
    public async Task<JsonElement> SendAsync(HttpMethod method, string path, object? body = null)
    {
        var client = AdminClient ?? throw new InvalidOperationException("no AdminClient set by the runner");
        using var request = Request(method, path, body);
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"setup {method} {path} answered {(int)response.StatusCode}: {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>A request with an optional JSON body.</summary>
    public static HttpRequestMessage Request(HttpMethod method, string path, object? body = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (body is not null) request.Content = JsonContent.Create(body);
        return request;
    }
}

/// <summary>
/// A feature's samples: one class per feature, in that feature's own file, found by reflection, so features add
/// samples without editing a shared list.
/// </summary>
public interface IApiSampleSet
{
    IEnumerable<ApiSample> Samples();
}
