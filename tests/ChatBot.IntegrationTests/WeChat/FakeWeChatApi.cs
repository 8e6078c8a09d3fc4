using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ChatBot.IntegrationTests.WeChat;

/// <summary>One request the fake received: path, access_token query value and JSON body.</summary>
public sealed record FakeWeChatCall(string Path, string? AccessToken, JsonNode? Body);

/// <summary>
/// A stand-in for api.weixin.qq.com on 127.0.0.1 (Kestrel, port 0): issues numbered tokens from
/// /cgi-bin/stable_token, accepts 客服, template and menu calls, records everything, and answers with a
/// queued error code when a test asks for one. Token checks are real: a call with an access token other than
/// the current one gets 40001.
/// </summary>
public sealed class FakeWeChatApi : IAsyncDisposable
{
    public const string CustomerServicePath = "/cgi-bin/message/custom/send";
    public const string TemplatePath = "/cgi-bin/message/template/send";
    public const string MenuPath = "/cgi-bin/menu/create";
    public const string MassSendPath = "/cgi-bin/message/mass/send";
    public const long MassJobId = 1000000001;
    public const string TokenPath = "/cgi-bin/stable_token";

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<FakeWeChatCall> _calls = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<int>> _errors = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _hangs = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<FakeWeChatCall> _delivered = new();
    private int _tokenNumber;

    private FakeWeChatApi(WebApplication app) => _app = app;

    /// <summary>expires_in of issued tokens (seconds).</summary>
    public int TokenLifetimeSeconds { get; set; } = 7200;

    public string CurrentToken => $"fake-token-{Volatile.Read(ref _tokenNumber)}";

    public string BaseUrl { get; private set; } = "";

    public IReadOnlyList<FakeWeChatCall> Calls => _calls.ToArray();

    public IReadOnlyList<FakeWeChatCall> CallsTo(string path) => _calls.Where(c => c.Path == path).ToArray();

    public static async Task<FakeWeChatApi> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var fake = new FakeWeChatApi(app);
        app.MapPost("/{**path}", fake.HandleAsync);
        await app.StartAsync();
        fake.BaseUrl = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return fake;
    }

    /// <summary>The next <paramref name="times"/> calls to <paramref name="path"/> answer <paramref name="errorCode"/>.</summary>
    public void FailNext(string path, int errorCode, int times = 1)
    {
        var queue = _errors.GetOrAdd(path, _ => new ConcurrentQueue<int>());
        for (var i = 0; i < times; i++) queue.Enqueue(errorCode);
    }

    /// <summary>The next <paramref name="times"/> calls to <paramref name="path"/> are read and never answered (the caller times out).</summary>
    public void HangNext(string path, int times = 1) => _hangs.AddOrUpdate(path, times, (_, n) => n + times);

    /// <summary>How long a 客服 call waits before it is answered (keeps requests in flight, e.g. for a crash test).</summary>
    public TimeSpan CustomerServiceAnswerDelay { get; set; }

    /// <summary>Messages the fake accepted (answered errcode 0): what members actually received.</summary>
    public IReadOnlyList<FakeWeChatCall> Delivered => _delivered.ToArray();

    /// <summary>Makes the current token invalid, as a refresh elsewhere (or WeChat) would.</summary>
    public void RevokeToken() => Interlocked.Increment(ref _tokenNumber);

    /// <summary>Polls the record until <paramref name="count"/> calls to <paramref name="path"/> arrived, within a bound.</summary>
    public async Task<IReadOnlyList<FakeWeChatCall>> WaitForCallsAsync(string path, int count, TimeSpan? bound = null)
    {
        // Real time on purpose: this bounds how long the test waits for background work, not a product rule.
        var giveUp = DateTime.UtcNow + (bound ?? TimeSpan.FromSeconds(20));
        while (DateTime.UtcNow < giveUp && CallsTo(path).Count < count)
            await Task.Delay(50);
        return CallsTo(path);
    }

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        JsonNode? body = null;
        try
        {
            body = await JsonNode.ParseAsync(context.Request.Body);
        }
        catch (JsonException)
        {
        }
        var token = context.Request.Query["access_token"].FirstOrDefault();
        var call = new FakeWeChatCall(path, token, body);
        _calls.Enqueue(call);

        if (_hangs.TryGetValue(path, out var hangs) && hangs > 0 && _hangs.TryUpdate(path, hangs - 1, hangs))
        {
            // Treated as delivered: the platform got it, only the answer is lost.
            _delivered.Enqueue(call);
            try { await Task.Delay(Timeout.Infinite, context.RequestAborted); }
            catch (OperationCanceledException) { }
            return;
        }

        if (_errors.TryGetValue(path, out var queue) && queue.TryDequeue(out var errorCode))
        {
            await context.Response.WriteAsJsonAsync(new { errcode = errorCode, errmsg = $"fake error {errorCode}" });
            return;
        }

        if (path == TokenPath)
        {
            var number = body?["force_refresh"]?.GetValue<bool>() == true || Volatile.Read(ref _tokenNumber) == 0
                ? Interlocked.Increment(ref _tokenNumber)
                : Volatile.Read(ref _tokenNumber);
            await context.Response.WriteAsJsonAsync(new { access_token = $"fake-token-{number}", expires_in = TokenLifetimeSeconds });
            return;
        }

        if (token != CurrentToken)
        {
            await context.Response.WriteAsJsonAsync(new { errcode = 40001, errmsg = "invalid credential, access_token is invalid or not latest" });
            return;
        }
        if (path == TemplatePath)
        {
            _delivered.Enqueue(call);
            await context.Response.WriteAsJsonAsync(new { errcode = 0, errmsg = "ok", msgid = 200163836 });
            return;
        }
        if (path == MassSendPath)
        {
            _delivered.Enqueue(call);
            await context.Response.WriteAsJsonAsync(new { errcode = 0, errmsg = "send job submission success", msg_id = MassJobId, msg_data_id = 2247483647 });
            return;
        }
        if (path is CustomerServicePath)
        {
            if (CustomerServiceAnswerDelay > TimeSpan.Zero)
                await Task.Delay(CustomerServiceAnswerDelay);
            _delivered.Enqueue(call);
        }
        await context.Response.WriteAsJsonAsync(new { errcode = 0, errmsg = "ok" });
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
