using System.Diagnostics;
using ChatBot.Core.Delivery;
using ChatBot.Core.Domain;
using ChatBot.Host.Delivery;
using ChatBot.IntegrationTests.Data;
using ChatBot.IntegrationTests.WeChat;
using Microsoft.EntityFrameworkCore;

namespace ChatBot.IntegrationTests.Delivery;

/// <summary>
/// The real host as a child process, killed with SIGKILL in the middle of a run and started again on the same
/// SQLite file: every recipient gets at most one message, every row ends Sent or Unknown, and exactly the rows whose
/// request was in flight at the kill are Unknown (reported with the reason), never resent.
/// </summary>
public sealed class OutboxCrashTests
{
    private const int Recipients = 300;

    [Fact]
    public async Task Run_SendsAtMostOncePerRecipientAndReportsInFlightAsUnknown_WhenHostIsKilledMidRun()
    {
        await using var api = await FakeWeChatApi.StartAsync();
        api.CustomerServiceAnswerDelay = TimeSpan.FromMilliseconds(15); // a run of a few seconds, requests always in flight
        await using var database = await TestDatabase.CreateSqliteAsync();
        var sqlite = (SqliteTestDatabase)database;
        var work = Path.Combine(Path.GetTempPath(), "chatbot-crash-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(work);
        var openIds = await SeedAsync(database);

        var first = StartHost(sqlite, api, work);
        try
        {
            // Real time on purpose: this bounds how long the test waits for the child, not a product rule.
            var giveUp = DateTime.UtcNow + TimeSpan.FromSeconds(90);
            while (api.CallsTo(FakeWeChatApi.CustomerServicePath).Count < Recipients / 3 && DateTime.UtcNow < giveUp && !first.HasExited)
                await Task.Delay(20);
            Assert.False(first.HasExited, "the host stopped by itself (exit code " + (first.HasExited ? first.ExitCode : 0) + ")");
            Assert.InRange(api.CallsTo(FakeWeChatApi.CustomerServicePath).Count, Recipients / 3, Recipients - 1);
            first.Kill(); // SIGKILL: no shutdown, no settle
            await first.WaitForExitAsync();
        }
        finally
        {
            if (!first.HasExited) first.Kill();
        }

        var inFlightAtKill = await CountAsync(database, DeliveryStatus.Sending);
        var second = StartHost(sqlite, api, work);
        try
        {
            var giveUp = DateTime.UtcNow + TimeSpan.FromSeconds(120);
            while (DateTime.UtcNow < giveUp && !second.HasExited
                   && await CountAsync(database, DeliveryStatus.Pending) + await CountAsync(database, DeliveryStatus.Sending) > 0)
                await Task.Delay(100);
        }
        finally
        {
            second.Kill();
            await second.WaitForExitAsync();
        }

        await using var db = database.CreateContext();
        var rows = await db.Deliveries.AsNoTracking().ToListAsync();
        var received = api.CallsTo(FakeWeChatApi.CustomerServicePath)
            .GroupBy(c => c.Body!["touser"]!.GetValue<string>()).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(Recipients, rows.Count);
        Assert.All(received, r => Assert.Equal(1, r.Value)); // nobody got a message twice
        Assert.All(rows, r => Assert.Contains(r.Status, new[] { DeliveryStatus.Sent, DeliveryStatus.Unknown }));
        var byMember = rows.ToDictionary(r => openIds[r.MemberId!.Value]);
        Assert.All(byMember.Where(r => r.Value.Status == DeliveryStatus.Sent), r => Assert.True(received.ContainsKey(r.Key), $"{r.Key} is Sent but got nothing"));
        var unknown = rows.Where(r => r.Status == DeliveryStatus.Unknown).ToList();
        // Exactly the rows claimed when the process died, each with the reason, none sent again.
        Assert.Equal(inFlightAtKill, unknown.Count);
        Assert.InRange(unknown.Count, 0, new DeliveryOptions().Parallelism);
        Assert.All(unknown, r => Assert.Equal(OutboxSender.LeaseExpiredReason, r.LastError));
        Assert.Equal(Recipients - unknown.Count, rows.Count(r => r.Status == DeliveryStatus.Sent));

        try { Directory.Delete(work, recursive: true); }
        catch (IOException) { }
    }

    private static async Task<Dictionary<int, string>> SeedAsync(TestDatabase database)
    {
        var now = DateTime.UtcNow;
        await using var db = database.CreateContext();
        var organisation = await TestData.AddOrganisationAsync(db);
        var identities = new List<ChannelIdentity>();
        for (var i = 0; i < Recipients; i++)
        {
            var member = new Member { Name = $"党员{i}", OrganisationId = organisation.Id, CreatedAt = now };
            identities.Add(new ChannelIdentity
            {
                Channel = Channel.WeChat, ExternalId = $"crash-openid-{i}", Member = member, State = BindingState.Bound, BoundAt = now,
                Subscribed = true, LastInboundAt = now.AddHours(-1), CreatedAt = now,
            });
        }
        db.ChannelIdentities.AddRange(identities);
        await db.SaveChangesAsync();
        // Written as the broadcasts feature writes them (IOutbox rows): Pending, a member message each, urgent so the
        // real clock's quiet hours cannot defer them.
        foreach (var identity in identities)
            db.Deliveries.Add(new Core.Domain.Delivery
            {
                IdempotencyKey = $"crash-run:{identity.MemberId}", MemberId = identity.MemberId, Route = DeliveryRoute.WeChatCustomerService,
                Status = DeliveryStatus.Pending, Payload = new MemberMessage(MessageKinds.Broadcast, "通知", "请参加本周组织生活会", Urgent: true).ToJson(), CreatedAt = now,
            });
        await db.SaveChangesAsync();
        return identities.ToDictionary(i => i.MemberId!.Value, i => i.ExternalId);
    }

    private static async Task<int> CountAsync(TestDatabase database, DeliveryStatus status)
    {
        await using var db = database.CreateContext();
        return await db.Deliveries.CountAsync(d => d.Status == status);
    }

    private static Process StartHost(SqliteTestDatabase database, FakeWeChatApi api, string work)
    {
        var hostDll = Path.Combine(AppContext.BaseDirectory, "ChatBot.Host.dll");
        var start = new ProcessStartInfo("dotnet", [hostDll])
        {
            WorkingDirectory = work,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var env = start.Environment;
        env["ASPNETCORE_ENVIRONMENT"] = "Development";
        env["Urls"] = "http://127.0.0.1:0";
        env["Database__Provider"] = "Sqlite";
        env["Database__ConnectionString"] = $"Data Source={database.FilePath}";
        env["Demo__Seed"] = "false";
        env["Redis__Configuration"] = "";
        env["GroupChats__KeysDirectory"] = Path.Combine(work, "keys");
        env["WeChat__Token"] = WeChatHostFactory.Token;
        env["WeChat__AppId"] = WeChatHostFactory.AppId;
        env["WeChat__AppSecret"] = WeChatHostFactory.AppSecret;
        env["WeChat__EncodingAESKey"] = WeChatHostFactory.EncodingAesKey;
        env["WeChat__ApiBaseUrl"] = api.BaseUrl;
        // Short lease and sweep so the restarted host settles what the killed one left within the test.
        env["Delivery__SendingLeaseSeconds"] = "2";
        env["Delivery__SweepIntervalSeconds"] = "1";
        env["Delivery__PollIntervalSeconds"] = "1";
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the host");
        // Drain the pipes so the child never blocks on a full buffer.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }
}
