using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ChatBot.IntegrationTests.GroupChats;

/// <summary>One POST the fake received and what it answered (errcode 0 = accepted).</summary>
public sealed record RecordedPost(string Path, IReadOnlyDictionary<string, string> Query, JsonElement Body, string? AccessToken, long Errcode, DateTimeOffset At)
{
    public string? Robot => Query.GetValueOrDefault("access_token") ?? Query.GetValueOrDefault("key") ?? Query.GetValueOrDefault("session");
    public bool Accepted => Errcode == 0;
    public string MsgType => Body.TryGetProperty("msgtype", out var t) ? t.GetString() ?? "" : "";
}

/// <summary>
/// DingTalk and WeCom on loopback (Kestrel, 127.0.0.1, port 0): custom robot webhooks with 加签 checking, WeCom
/// robot webhooks, sessionWebhook replies, and the OpenAPI token and robot sends. Records every post, stamped with
/// the test's clock, and answers scripted errcodes per robot.
/// </summary>
public sealed partial class FakeRobotServer : IAsyncDisposable
{
    public const string AccessToken = "fake-app-token";
    private readonly WebApplication _app;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, string?> _dingTalkRobots = new();
    private readonly ConcurrentDictionary<string, bool> _weComRobots = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<(long Code, string Message)>> _scripted = new();
    private readonly ConcurrentDictionary<string, (long Code, string Message)> _always = new();
    private readonly List<RecordedPost> _posts = [];
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _arrivals = new(0);

    private FakeRobotServer(WebApplication app, TimeProvider time)
    {
        _app = app;
        _time = time;
    }

    public string BaseUrl { get; private set; } = "";

    public static async Task<FakeRobotServer> StartAsync(TimeProvider time)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new FakeRobotServer(app, time);
        app.UseWebSockets();
        server.MapStreamGateway(app);
        app.MapPost("/robot/send", server.DingTalkRobotAsync);
        app.MapPost("/robot/sendBySession", ctx =>
        {
            var session = ctx.Request.Query["session"].ToString();
            var (code, message) = server.NextAnswer(session);
            return server.RecordAsync(ctx, session, code, message);
        });
        app.MapPost("/cgi-bin/webhook/send", server.WeComRobotAsync);
        app.MapPost("/v1.0/oauth2/accessToken", async ctx =>
            await ctx.Response.WriteAsJsonAsync(new { accessToken = AccessToken, expireIn = 7200 }));
        app.MapPost("/v1.0/robot/groupMessages/send", server.OpenApiAsync);
        app.MapPost("/v1.0/robot/oToMessages/batchSend", server.OpenApiAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseUrl = address.TrimEnd('/');
        return server;
    }

    /// <summary>Registers a DingTalk custom robot; returns its webhook URL (without the 加签 part).</summary>
    public string AddDingTalkRobot(string accessToken, string? secret)
    {
        _dingTalkRobots[accessToken] = secret;
        return $"{BaseUrl}/robot/send?access_token={accessToken}";
    }

    public string AddWeComRobot(string key)
    {
        _weComRobots[key] = true;
        return $"{BaseUrl}/cgi-bin/webhook/send?key={key}";
    }

    /// <summary>The robot's next answer(s), in order; afterwards it accepts again.</summary>
    public void Script(string robot, long errcode, string errmsg, int times = 1)
    {
        var queue = _scripted.GetOrAdd(robot, _ => new ConcurrentQueue<(long, string)>());
        for (var i = 0; i < times; i++)
            queue.Enqueue((errcode, errmsg));
    }

    /// <summary>The robot answers this errcode to every post until <see cref="Heal"/>.</summary>
    public void AnswerAlways(string robot, long errcode, string errmsg) => _always[robot] = (errcode, errmsg);

    public void Heal(string robot) => _always.TryRemove(robot, out _);

    public IReadOnlyList<RecordedPost> Posts
    {
        get { lock (_gate) return [.. _posts]; }
    }

    public IReadOnlyList<RecordedPost> Accepted(string robot) => Posts.Where(p => p.Robot == robot && p.Accepted).ToList();

    /// <summary>Waits until <paramref name="count"/> posts match; a generous bound, not a timing assertion.</summary>
    public async Task<IReadOnlyList<RecordedPost>> WaitForAsync(Func<RecordedPost, bool> match, int count = 1)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var found = Posts.Where(match).ToList();
            if (found.Count >= count)
                return found;
            try
            {
                await _arrivals.WaitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"expected {count} matching posts, saw {found.Count}: {string.Join(", ", Posts.Select(p => p.Path))}");
            }
        }
    }

    private Task DingTalkRobotAsync(HttpContext ctx)
    {
        var token = ctx.Request.Query["access_token"].ToString();
        if (!_dingTalkRobots.TryGetValue(token, out var secret))
            return RecordAsync(ctx, token, 300001, "token is not exist");
        if (secret is not null)
        {
            var timestamp = ctx.Request.Query["timestamp"].ToString();
            var sign = ctx.Request.Query["sign"].ToString();
            if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
                || Math.Abs(_time.GetUtcNow().ToUnixTimeMilliseconds() - ms) > 3_600_000)
                return RecordAsync(ctx, token, 310000, "invalid timestamp");
            var expected = Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(timestamp + "\n" + secret)));
            if (!string.Equals(expected, sign, StringComparison.Ordinal))
                return RecordAsync(ctx, token, 310000, "sign not match");
        }
        var (code, message) = NextAnswer(token);
        return RecordAsync(ctx, token, code, message);
    }

    private Task WeComRobotAsync(HttpContext ctx)
    {
        var key = ctx.Request.Query["key"].ToString();
        if (!_weComRobots.ContainsKey(key))
            return RecordAsync(ctx, key, 93000, "invalid webhook url");
        var (code, message) = NextAnswer(key);
        return RecordAsync(ctx, key, code, message);
    }

    private async Task OpenApiAsync(HttpContext ctx)
    {
        var token = ctx.Request.Headers["x-acs-dingtalk-access-token"].ToString();
        if (token != AccessToken)
        {
            ctx.Response.StatusCode = StatusCodes.Status401Unauthorized;
            await ctx.Response.WriteAsJsonAsync(new { code = "InvalidAuthentication", message = "bad token" });
            return;
        }
        await RecordAsync(ctx, null, 0, "", writeErrcode: false);
        await ctx.Response.WriteAsJsonAsync(new { processQueryKey = "fake-query-key" });
    }

    private (long, string) NextAnswer(string robot)
    {
        if (_always.TryGetValue(robot, out var always))
            return always;
        return _scripted.TryGetValue(robot, out var queue) && queue.TryDequeue(out var next) ? next : (0, "ok");
    }

    private async Task RecordAsync(HttpContext ctx, string? robot, long errcode, string errmsg, bool writeErrcode = true)
    {
        using var doc = await JsonDocument.ParseAsync(ctx.Request.Body);
        var query = ctx.Request.Query.ToDictionary(q => q.Key, q => q.Value.ToString());
        var post = new RecordedPost(ctx.Request.Path, query, doc.RootElement.Clone(),
            ctx.Request.Headers["x-acs-dingtalk-access-token"].FirstOrDefault(), errcode, _time.GetUtcNow());
        lock (_gate)
            _posts.Add(post);
        _arrivals.Release();
        if (writeErrcode)
            await ctx.Response.WriteAsJsonAsync(new { errcode, errmsg });
    }

    public async ValueTask DisposeAsync()
    {
        await CloseStreamConnectionsAsync();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _arrivals.Dispose();
    }
}
