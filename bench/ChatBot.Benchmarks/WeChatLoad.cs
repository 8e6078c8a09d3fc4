using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using ChatBot.Channels.Shared;
using ChatBot.Channels.WeChat;

namespace ChatBot.Benchmarks;

/// <summary>
/// A bounded load run against a running host where every message is new: safe mode, fresh timestamp and nonce and a
/// distinct MsgId per request, text "hello" from 100 senders (the policy-search path), built on the fly so a million
/// messages need no request file. Samples the server's VmRSS from /proc while it runs, which is the point: memory
/// must stay flat however many distinct messages go through. Loopback only; stops after --messages or --max-seconds.
///
///   dotnet run -c Release --project bench/ChatBot.Benchmarks -- wechat-load --url http://127.0.0.1:5090 \
///       --messages 1000000 --connections 32 --pid 1234 [--max-seconds 900]
/// </summary>
public static class WeChatLoad
{
    private const string Token = "benchtoken";
    private const string AppId = "wx0123456789abcdef";
    private const string AesKey = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";

    public static async Task<int> RunAsync(string[] args)
    {
        var url = Arg(args, "--url", "http://127.0.0.1:5090");
        if (!Uri.TryCreate(url, UriKind.Absolute, out var baseUri) || !IPAddress.IsLoopback(ResolveHost(baseUri)))
        {
            Console.Error.WriteLine("--url must be a loopback address");
            return 2;
        }
        var total = long.Parse(Arg(args, "--messages", "100000"), CultureInfo.InvariantCulture);
        var connections = int.Parse(Arg(args, "--connections", "32"), CultureInfo.InvariantCulture);
        var maxSeconds = int.Parse(Arg(args, "--max-seconds", "900"), CultureInfo.InvariantCulture);
        var pid = Arg(args, "--pid", "");
        var firstId = long.Parse(Arg(args, "--first-msgid", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture) + "000"), CultureInfo.InvariantCulture);

        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = connections, UseProxy = false };
        using var http = new HttpClient(handler) { BaseAddress = baseUri, Timeout = TimeSpan.FromSeconds(10) };
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(maxSeconds));
        long next = -1, ok = 0, failed = 0;
        var latencies = new List<double>[connections];
        var clock = Stopwatch.StartNew();

        var sampler = SampleAsync(pid, () => (Interlocked.Read(ref ok), Interlocked.Read(ref failed)), clock, stop.Token);
        var workers = Enumerable.Range(0, connections).Select(w => Task.Run(async () =>
        {
            using var crypt = new WxBizMsgCrypt(Token, AesKey, AppId);
            var mine = latencies[w] = new List<double>(capacity: 1024);
            while (!stop.IsCancellationRequested)
            {
                var n = Interlocked.Increment(ref next);
                if (n >= total) break;
                using var request = Build(crypt, firstId + n, (int)(n % 100));
                var started = Stopwatch.GetTimestamp();
                try
                {
                    using var response = await http.SendAsync(request, stop.Token).ConfigureAwait(false);
                    await response.Content.ReadAsByteArrayAsync(stop.Token).ConfigureAwait(false);
                    if (response.IsSuccessStatusCode) Interlocked.Increment(ref ok); else Interlocked.Increment(ref failed);
                }
                catch (Exception) when (!stop.IsCancellationRequested)
                {
                    Interlocked.Increment(ref failed);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
                // Every 64th latency is enough for percentiles and keeps the client's own memory small.
                if ((n & 63) == 0) mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        })).ToArray();
        await Task.WhenAll(workers).ConfigureAwait(false);
        var elapsed = clock.Elapsed;
        await stop.CancelAsync().ConfigureAwait(false);
        await sampler.ConfigureAwait(false);

        var all = latencies.Where(l => l is not null).SelectMany(l => l).Order().ToArray();
        double P(double q) => all.Length == 0 ? 0 : all[Math.Min(all.Length - 1, (int)(q * all.Length))];
        Console.WriteLine(FormattableString.Invariant(
            $"done: {ok:N0} ok, {failed:N0} failed in {elapsed.TotalSeconds:F1} s = {ok / elapsed.TotalSeconds:F0} msg/s; p50 {P(0.5):F2} ms, p99 {P(0.99):F2} ms; server {Rss(pid, "VmRSS")} MB RSS, peak {Rss(pid, "VmHWM")} MB"));
        return failed == 0 ? 0 : 1;
    }

    private static HttpRequestMessage Build(WxBizMsgCrypt crypt, long msgId, int sender)
    {
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var nonce = msgId.ToString(CultureInfo.InvariantCulture);
        var xml = string.Create(CultureInfo.InvariantCulture,
            $"<xml><ToUserName><![CDATA[gh_bench]]></ToUserName><FromUserName><![CDATA[oBench{sender:D6}]]></FromUserName><CreateTime>{timestamp}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[hello]]></Content><MsgId>{msgId}</MsgId></xml>");
        var encrypt = crypt.Encrypt(xml);
        var msgSignature = crypt.Sign(timestamp, nonce, encrypt);
        var signature = WeChatSignature.ComputeUrlSignature(Token, timestamp, nonce);
        var body = $"<xml><ToUserName><![CDATA[gh_bench]]></ToUserName><Encrypt><![CDATA[{encrypt}]]></Encrypt></xml>";
        return new HttpRequestMessage(HttpMethod.Post,
            $"/wechat?signature={signature}&timestamp={timestamp}&nonce={nonce}&openid=oBench{sender:D6}&encrypt_type=aes&msg_signature={msgSignature}")
        {
            Content = new StringContent(body, Encoding.UTF8, "text/xml"),
        };
    }

    private static async Task SampleAsync(string pid, Func<(long Ok, long Failed)> counts, Stopwatch clock, CancellationToken ct)
    {
        Console.WriteLine("| s | messages | msg/s (last 10 s) | server RSS MB |");
        Console.WriteLine("|---:|---:|---:|---:|");
        long previous = 0;
        try
        {
            while (true)
            {
                await Task.Delay(TimeSpan.FromSeconds(10), ct).ConfigureAwait(false);
                var (ok, _) = counts();
                Console.WriteLine(FormattableString.Invariant($"| {clock.Elapsed.TotalSeconds:F0} | {ok:N0} | {(ok - previous) / 10.0:F0} | {Rss(pid, "VmRSS")} |"));
                previous = ok;
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static string Rss(string pid, string field)
    {
        if (string.IsNullOrEmpty(pid)) return "?";
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith(field + ":", StringComparison.Ordinal));
            var kb = line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
            return (kb / 1024).ToString(CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return "?";
        }
    }

    private static IPAddress ResolveHost(Uri uri) =>
        uri.IsLoopback ? IPAddress.Loopback : IPAddress.TryParse(uri.Host, out var ip) ? ip : IPAddress.None;

    private static string Arg(string[] args, string name, string fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }
}
