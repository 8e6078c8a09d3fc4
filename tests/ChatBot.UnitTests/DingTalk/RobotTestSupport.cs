using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace ChatBot.UnitTests.DingTalk;

/// <summary>Reads the shared known-answer file (copied next to the test assembly).</summary>
internal static class RobotVectors
{
    private static readonly Lazy<JsonNode> Root = new(() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "protocol-vectors.json")))!);

    public static JsonNode DingTalkSign(string id) =>
        Root.Value["dingtalk_sign"]!.AsArray().Single(v => (string?)v!["id"] == id)!;

    public static JsonNode Fixture(string name) => Root.Value["fixtures"]![name]!;

    /// <summary>Structural and value equality of two JSON texts/nodes, ignoring property order.</summary>
    public static void AssertJsonEqual(JsonNode expected, string actualJson)
    {
        var actual = JsonNode.Parse(actualJson);
        Assert.True(JsonNode.DeepEquals(expected, actual),
            $"JSON differs.\nexpected: {expected.ToJsonString()}\nactual:   {actual?.ToJsonString()}");
    }
}

internal sealed record RecordedRequest(HttpMethod Method, Uri Uri, IReadOnlyDictionary<string, string> Headers, string? ContentType, string Body);

/// <summary>Answers from a script and records every request (URL, headers, body) for assertions.</summary>
internal sealed class RecordingHandler(Func<HttpRequestMessage, HttpResponseMessage> respond) : HttpMessageHandler
{
    public List<RecordedRequest> Requests { get; } = [];

    public static RecordingHandler Json(string json, HttpStatusCode status = HttpStatusCode.OK) =>
        new(_ => JsonResponse(json, status));

    public static HttpResponseMessage JsonResponse(string json, HttpStatusCode status = HttpStatusCode.OK) =>
        new(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
        Requests.Add(new RecordedRequest(
            request.Method,
            request.RequestUri!,
            request.Headers.ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase),
            request.Content?.Headers.ContentType?.ToString(),
            body));
        cancellationToken.ThrowIfCancellationRequested();
        return respond(request);
    }
}

/// <summary>Keeps formatted log lines so tests can prove secrets never reach the log.</summary>
internal sealed class ListLogger<T> : ILogger<T>
{
    public List<string> Lines { get; } = [];

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Lines.Add(formatter(state, exception));
}
