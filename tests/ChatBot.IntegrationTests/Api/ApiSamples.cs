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
}

/// <summary>
/// A feature's samples: one class per feature, in that feature's own file, found by reflection, so features add
/// samples without editing a shared list.
/// </summary>
public interface IApiSampleSet
{
    IEnumerable<ApiSample> Samples();
}
