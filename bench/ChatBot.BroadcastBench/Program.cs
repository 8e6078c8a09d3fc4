using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using ChatBot.Core.Domain;
using ChatBot.Host.Data;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ChatBot.BroadcastBench;

// One broadcast to N bound WeChat members (window open, so every one goes by 客服消息) through a fake WeChat API on
// loopback that answers at once. Measures: preflight, confirm (rows written), confirm → last Sent, CSV report
// streaming, peak RSS. Usage:
//   dotnet run -c Release --project bench/ChatBot.BroadcastBench -- [members=100000]
// Environment: BENCH_POSTGRES=<connection string> (else SQLite in a temp folder), BENCH_REDIS=<redis config>,
// BENCH_NO_SEND=1 (sender off), BENCH_SET_Section__Key=value (any host setting, e.g. BENCH_SET_Delivery__Parallelism=16).
public static class BroadcastBench
{
    public static async Task<int> Main(string[] args)
    {
        var members = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100_000;
        var postgres = Environment.GetEnvironmentVariable("BENCH_POSTGRES");
        // BENCH_NO_SEND=1: the sender stays off (preflight, writing the rows and the CSV report only).
        var send = Environment.GetEnvironmentVariable("BENCH_NO_SEND") != "1";
        var redis = Environment.GetEnvironmentVariable("BENCH_REDIS");

        var fake = WebApplication.CreateSlimBuilder();
        fake.WebHost.UseUrls("http://127.0.0.1:0");
        var fakeApp = fake.Build();
        long customerServiceCalls = 0;
        fakeApp.MapPost("/cgi-bin/stable_token", () => Results.Text("{\"access_token\":\"bench-token\",\"expires_in\":7200}", "application/json"));
        fakeApp.MapPost("/cgi-bin/message/custom/send", () =>
        {
            Interlocked.Increment(ref customerServiceCalls);
            return Results.Text("{\"errcode\":0,\"errmsg\":\"ok\"}", "application/json");
        });
        await fakeApp.StartAsync();
        var fakeUrl = fakeApp.Urls.First();

        var folder = Path.Combine(Path.GetTempPath(), "chatbot-broadcast-bench-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        var settings = new Dictionary<string, string?>
        {
            ["Database:Provider"] = postgres is null ? "Sqlite" : "Postgres",
            ["Database:ConnectionString"] = postgres ?? $"Data Source={Path.Combine(folder, "bench.db")}",
            ["Redis:Configuration"] = redis ?? "",
            ["Demo:Seed"] = "false",
            ["AdminApi:ApiKey"] = "bench-key",
            ["Delivery:WorkerEnabled"] = send ? "true" : "false",
            ["WeChat:Token"] = "bench", ["WeChat:AppId"] = "wxbench", ["WeChat:AppSecret"] = "secret", ["WeChat:ApiBaseUrl"] = fakeUrl,
            ["Scheduling:QuietHours"] = "00:00-00:00", // no quiet hours: the bench runs whenever it is started
            ["GroupChats:KeysDirectory"] = Path.Combine(folder, "keys"),
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:ChatBot.Host.Broadcasts"] = "Information",
        };
        foreach (var extra in Environment.GetEnvironmentVariables().Keys.Cast<string>().Where(k => k.StartsWith("BENCH_SET_", StringComparison.Ordinal)))
            settings[extra["BENCH_SET_".Length..].Replace("__", ":", StringComparison.Ordinal)] = Environment.GetEnvironmentVariable(extra);

        // WebApplicationFactory finds the host's content root through this variable outside a test project.
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "ChatBot.sln"))) root = root.Parent;
        Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_CHATBOT_HOST", Path.Combine(root!.FullName, "src", "ChatBot.Host"));
        await using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            foreach (var (k, v) in settings) b.UseSetting(k, v);
        });
        _ = factory.Services;
        var http = factory.CreateClient(); // in-memory TestServer: counts as loopback-free, so send the API key below
        Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}");
        Console.WriteLine($"database: {settings["Database:Provider"]}{(redis is null ? "" : " + Redis")}, members: {members:N0}");

        // ---- seed: one organisation, N members each with a bound WeChat identity whose window is open -----------------
        var sw = Stopwatch.StartNew();
        int orgId;
        await using (var db = factory.Services.GetRequiredService<IChatBotDbContextFactory>().CreateDbContext())
        {
            var now = DateTime.UtcNow;
            var org = new Organisation { Name = "压测党委", Kind = OrganisationKind.Committee, CreatedAt = now };
            db.Organisations.Add(org);
            await db.SaveChangesAsync();
            org.Path = OrganisationPath.Root.Child(org.Id).Value;
            await db.SaveChangesAsync();
            orgId = org.Id;
            var connection = db.Database.GetDbConnection();
            await connection.OpenAsync();
            await using var tx = await connection.BeginTransactionAsync();
            await InsertAsync(connection, tx,
                "INSERT INTO \"Members\" (\"Id\", \"OrganisationId\", \"Name\", \"Status\", \"IsMobile\", \"Phone\", \"Archived\", \"CreatedAt\") VALUES (@id, @org, @name, 'Full', FALSE, @phone, FALSE, @now)",
                members, (cmd, i) =>
                {
                    Set(cmd, "id", i + 1); Set(cmd, "org", orgId); Set(cmd, "name", "党员" + i.ToString(CultureInfo.InvariantCulture));
                    Set(cmd, "phone", "139" + i.ToString("D8", CultureInfo.InvariantCulture)); Set(cmd, "now", now);
                });
            await InsertAsync(connection, tx,
                "INSERT INTO \"ChannelIdentities\" (\"Channel\", \"ExternalId\", \"MemberId\", \"State\", \"BoundAt\", \"Subscribed\", \"LastInboundAt\", \"CustomerServiceSendsInWindow\", \"CreatedAt\") VALUES ('WeChat', @ext, @id, 'Bound', @now, TRUE, @last, 0, @now)",
                members, (cmd, i) =>
                {
                    Set(cmd, "ext", "o-bench-" + i.ToString(CultureInfo.InvariantCulture)); Set(cmd, "id", i + 1);
                    Set(cmd, "now", now); Set(cmd, "last", now.AddHours(-1));
                });
            await tx.CommitAsync();
            if (postgres is not null)
                await db.Database.ExecuteSqlRawAsync("SELECT setval(pg_get_serial_sequence('\"Members\"', 'Id'), (SELECT MAX(\"Id\") FROM \"Members\"))");
        }
        Console.WriteLine($"seed: {sw.Elapsed.TotalSeconds:F1} s");
        http.DefaultRequestHeaders.Add("X-Api-Key", "bench-key");

        // The guard lets loopback through; TestServer has no remote address, so the bench uses the API key.
        var created = await http.PostAsJsonAsync("/api/v1/broadcasts", new
        {
            title = "压测通知", text = "这是一条**压测**广播，请忽略。",
            audience = new { organisationIds = new[] { orgId }, includeSubtrees = true },
        });
        created.EnsureSuccessStatusCode();
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();

        for (var i = 1; i <= 2; i++)
        {
            sw.Restart();
            var preflight = await http.PostAsync($"/api/v1/broadcasts/{id}/preflight", null);
            var body = await preflight.Content.ReadFromJsonAsync<JsonElement>();
            Console.WriteLine($"preflight #{i}: {sw.Elapsed.TotalMilliseconds:F0} ms over HTTP (server {body.GetProperty("elapsedMilliseconds").GetDouble():F0} ms), " +
                $"recipients {body.GetProperty("recipients").GetInt32():N0}, reachable {body.GetProperty("reachable").GetInt32():N0}, RSS {Rss():F0} MiB");
        }

        var confirmStarted = Stopwatch.StartNew();
        var confirm = await http.PostAsJsonAsync($"/api/v1/broadcasts/{id}/confirm", new { });
        confirm.EnsureSuccessStatusCode();
        Console.WriteLine($"confirm (run created, {members:N0} rows written in batches): {confirmStarted.Elapsed.TotalSeconds:F1} s, RSS {Rss():F0} MiB");

        var contexts = factory.Services.GetRequiredService<IChatBotDbContextFactory>();
        var lastReport = TimeSpan.Zero;
        while (send)
        {
            await Task.Delay(500);
            await using var db = contexts.CreateDbContext();
            var open = await db.Deliveries.CountAsync(d => d.Status == DeliveryStatus.Pending || d.Status == DeliveryStatus.Sending);
            if (confirmStarted.Elapsed - lastReport > TimeSpan.FromSeconds(10))
            {
                lastReport = confirmStarted.Elapsed;
                Console.WriteLine($"  {confirmStarted.Elapsed.TotalSeconds:F0} s: {open:N0} open, {Interlocked.Read(ref customerServiceCalls):N0} sent to the fake, RSS {Rss():F0} MiB");
            }
            if (open == 0) break;
            if (confirmStarted.Elapsed > TimeSpan.FromMinutes(15)) { Console.WriteLine("stopped after 15 minutes"); break; }
        }
        var elapsed = confirmStarted.Elapsed.TotalSeconds;
        await using (var db = contexts.CreateDbContext())
        {
            var sent = await db.Deliveries.CountAsync(d => d.Status == DeliveryStatus.Sent);
            var other = await db.Deliveries.CountAsync(d => d.Status != DeliveryStatus.Sent);
            Console.WriteLine($"confirm → last Sent: {elapsed:F1} s, {sent:N0} Sent ({other:N0} other), {sent / elapsed:F0} deliveries/s, " +
                $"fake API calls {Interlocked.Read(ref customerServiceCalls):N0}");
        }

        sw.Restart();
        var rssBefore = Rss();
        using (var csv = await http.GetAsync($"/api/v1/broadcasts/{id}/report?format=csv", HttpCompletionOption.ResponseHeadersRead))
        {
            var firstByte = sw.Elapsed.TotalMilliseconds;
            await using var stream = await csv.Content.ReadAsStreamAsync();
            var buffer = new byte[81920];
            long bytes = 0, lines = 0;
            int n;
            while ((n = await stream.ReadAsync(buffer)) > 0)
            {
                bytes += n;
                for (var i = 0; i < n; i++) if (buffer[i] == (byte)'\n') lines++;
            }
            Console.WriteLine($"CSV report: {lines:N0} lines, {bytes / 1048576.0:F1} MiB in {sw.Elapsed.TotalSeconds:F1} s (first byte {firstByte:F0} ms), RSS {rssBefore:F0} → {Rss():F0} MiB");
        }
        Console.WriteLine($"peak RSS of the process (host + fake API + bench client): {PeakRss():F0} MiB");
        await fakeApp.StopAsync();
        try { Directory.Delete(folder, true); } catch (IOException) { }
        return 0;

        static async Task InsertAsync(DbConnection connection, DbTransaction tx, string sql, int count, Action<DbCommand, int> bind)
        {
            await using var cmd = connection.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = sql;
            for (var i = 0; i < count; i++)
            {
                cmd.Parameters.Clear();
                bind(cmd, i);
                await cmd.ExecuteNonQueryAsync();
            }
        }

        static void Set(DbCommand cmd, string name, object value)
        {
            var p = cmd.CreateParameter();
            p.ParameterName = "@" + name;
            p.Value = value;
            cmd.Parameters.Add(p);
        }

        static double Rss() => Status("VmRSS:");
        static double PeakRss() => Status("VmHWM:");
        static double Status(string key)
        {
            var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith(key, StringComparison.Ordinal));
            return line is null ? 0 : double.Parse(line[key.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024;
        }
    }
}
