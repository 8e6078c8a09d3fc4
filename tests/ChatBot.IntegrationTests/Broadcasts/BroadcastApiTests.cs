using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ChatBot.Core.Broadcasts;
using ChatBot.Core.Delivery;
using ChatBot.Core.Domain;
using ChatBot.Host.Broadcasts;
using Hangfire;
using Hangfire.Storage;
using Microsoft.EntityFrameworkCore;

namespace ChatBot.IntegrationTests.Broadcasts;

public sealed class BroadcastApiTests : IAsyncLifetime
{
    private BroadcastHarness _h = null!;

    public async Task InitializeAsync() => _h = await BroadcastHarness.StartAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task Preflight_CountsByRouteAndReason_ListsUnreachable_AndWritesNothing()
    {
        var id = await _h.CreateAsync(_h.BranchABody(contentItemId: _h.Data.LessonId));
        var preflight = await _h.PostAsync($"/api/v1/broadcasts/{id}/preflight");

        Assert.Equal(10, preflight.GetProperty("recipients").GetInt32());
        Assert.Equal(5, preflight.GetProperty("reachable").GetInt32());
        var byRoute = preflight.GetProperty("byRoute");
        Assert.Equal(2, byRoute.GetProperty("WeChatCustomerService").GetInt32());
        Assert.Equal(1, byRoute.GetProperty("DingTalkOneToOne").GetInt32());
        Assert.Equal(1, byRoute.GetProperty("DingTalkRobot").GetInt32());
        Assert.Equal(1, byRoute.GetProperty("WeComRobot").GetInt32());
        var byReason = preflight.GetProperty("byReason");
        Assert.Equal(1, byReason.GetProperty("Unbound").GetInt32());
        Assert.Equal(1, byReason.GetProperty("Unsubscribed").GetInt32());
        Assert.Equal(1, byReason.GetProperty("WindowClosedNoTemplate").GetInt32());
        Assert.Equal(1, byReason.GetProperty("GroupChatMuted").GetInt32());
        Assert.Equal(1, byReason.GetProperty("GroupChatBroken").GetInt32());
        var unreachable = preflight.GetProperty("unreachable").EnumerateArray().ToList();
        Assert.Contains(unreachable, u => u.GetProperty("name").GetString() == "张伟" && u.GetProperty("reason").GetString() == "Unbound"
            && u.GetProperty("memberId").GetInt32() == _h.Data.Members["unbound"]);
        Assert.DoesNotContain(unreachable, u => u.GetProperty("name").GetString() == "赵磊"); // archived: not in the audience at all

        var samples = preflight.GetProperty("samples");
        var csText = samples.GetProperty("WeChatCustomerService").GetProperty("text").GetProperty("content").GetString()!;
        Assert.Contains("党费收缴通知", csText);
        Assert.Contains("https://dj.example.cn/m/lessons/" + _h.Data.LessonId + "?t=", csText);
        Assert.Equal("markdown", samples.GetProperty("DingTalkRobot").GetProperty("msgtype").GetString());
        Assert.Equal("markdown", samples.GetProperty("WeComRobot").GetProperty("msgtype").GetString());
        Assert.Contains("https://dj.example.cn/m/lessons/", samples.GetProperty("DingTalkOneToOne").GetRawText());
        Assert.False(samples.GetProperty("WeChatTemplate").GetProperty("configured").GetBoolean());

        Assert.Equal(0, await _h.QueryAsync(db => db.Deliveries.CountAsync()));
        Assert.Equal(0, await _h.QueryAsync(db => db.BroadcastRuns.CountAsync()));
        var view = await _h.GetJsonAsync($"/api/v1/broadcasts/{id}");
        Assert.Equal("Draft", view.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Preflight_FiltersByStatusMobileAndSubtree()
    {
        var mobileOnly = await _h.CreateAsync(new
        {
            title = "流动党员通知", text = "请按时参加组织生活。",
            audience = new { organisationIds = new[] { _h.Data.Committee }, includeSubtrees = true, mobileOnly = true },
        });
        Assert.Equal(1, (await _h.PostAsync($"/api/v1/broadcasts/{mobileOnly}/preflight")).GetProperty("recipients").GetInt32());

        var activists = await _h.CreateAsync(new
        {
            title = "积极分子培训", text = "培训安排见附件。",
            audience = new { organisationIds = new[] { _h.Data.Committee }, statuses = new[] { "入党积极分子" } },
        });
        var p = await _h.PostAsync($"/api/v1/broadcasts/{activists}/preflight");
        Assert.Equal(1, p.GetProperty("recipients").GetInt32());

        var noSubtree = await _h.CreateAsync(new
        {
            title = "支部通知", text = "仅本支部。",
            audience = new { organisationIds = new[] { _h.Data.BranchA }, includeSubtrees = false },
        });
        // A1's mobile member is outside without subtrees: cs, closed, unbound, unsubscribed, ding.
        Assert.Equal(5, (await _h.PostAsync($"/api/v1/broadcasts/{noSubtree}/preflight")).GetProperty("recipients").GetInt32());
    }

    [Fact]
    public async Task ConfirmNow_WritesOneRowPerRecipient_UnreachableSkippedWithReason_SignedLinkPerMember()
    {
        var id = await _h.CreateAsync(_h.BranchABody(contentItemId: _h.Data.LessonId));
        var confirmed = await _h.PostAsync($"/api/v1/broadcasts/{id}/confirm", new { });
        Assert.Equal("Running", confirmed.GetProperty("status").GetString());
        var run = Assert.Single(confirmed.GetProperty("runs").EnumerateArray().ToList());
        var runId = run.GetProperty("id").GetInt32();

        var rows = await _h.QueryAsync(db => db.Deliveries.AsNoTracking().Where(d => d.BroadcastRunId == runId).ToListAsync());
        Assert.Equal(10, rows.Count);
        var cs = rows.Single(r => r.MemberId == _h.Data.Members["cs"]);
        Assert.Equal(DeliveryStatus.Pending, cs.Status);
        Assert.Equal(DeliveryRoute.WeChatCustomerService, cs.Route);
        Assert.Equal(BroadcastRules.MemberKey(runId, cs.MemberId!.Value), cs.IdempotencyKey);
        Assert.Null(cs.NextAttemptAt); // 10:00: no quiet hours
        Assert.NotNull(cs.ChannelIdentityId);
        var message = MemberMessage.FromJson(cs.Payload);
        Assert.Equal(MessageKinds.Broadcast, message.Kind);
        var mobile = MemberMessage.FromJson(rows.Single(r => r.MemberId == _h.Data.Members["mobile"]).Payload);
        Assert.StartsWith($"https://dj.example.cn/m/lessons/{_h.Data.LessonId}?t=", message.Url);
        Assert.NotEqual(message.Url, mobile.Url); // a link per member
        Assert.Equal(_h.Data.Members["cs"], _h.Get<ChatBot.Host.Features.SignedMemberLinks>().ReadLessonToken(
            message.Url!.Split("?t=")[1], _h.Data.LessonId));

        Assert.Equal("unbound", rows.Single(r => r.MemberId == _h.Data.Members["unbound"]).SkipReason);
        Assert.Equal(DeliveryStatus.Skipped, rows.Single(r => r.MemberId == _h.Data.Members["unbound"]).Status);
        Assert.Equal("windowClosedNoTemplate", rows.Single(r => r.MemberId == _h.Data.Members["closed"]).SkipReason);
        Assert.Equal("groupChatMuted", rows.Single(r => r.GroupChatId == _h.Data.Chats["muted"]).SkipReason);
        var group = rows.Single(r => r.GroupChatId == _h.Data.Chats["dingOk"]);
        Assert.Equal(DeliveryStatus.Pending, group.Status);
        Assert.Equal(DeliveryRoute.DingTalkRobot, group.Route);
        Assert.Equal(BroadcastRules.GroupChatKey(runId, _h.Data.Chats["dingOk"]), group.IdempotencyKey);
        Assert.Equal(5, rows.Count(r => r.Status == DeliveryStatus.Pending));
        Assert.Equal(5, rows.Count(r => r.Status == DeliveryStatus.Skipped));

        // Confirming again is a conflict, and writes nothing more.
        await _h.PostAsync($"/api/v1/broadcasts/{id}/confirm", new { }, HttpStatusCode.Conflict);
        Assert.Equal(10, await _h.QueryAsync(db => db.Deliveries.CountAsync()));
    }

    [Fact]
    public async Task RunKey_TwoTriggersForTheSameSlot_MakeOneRun()
    {
        var id = await _h.CreateAsync(_h.BranchABody());
        await using (var db = _h.Db())
            await db.Broadcasts.Where(b => b.Id == id).ExecuteUpdateAsync(s => s.SetProperty(b => b.Status, BroadcastStatus.Scheduled));
        var runner = _h.Get<BroadcastRunner>();
        var slot = _h.Now;
        var results = await Task.WhenAll(
            runner.StartAsync(id, slot, CancellationToken.None),
            runner.StartAsync(id, slot.AddSeconds(20), CancellationToken.None)); // same minute: same slot
        var again = await runner.StartAsync(id, slot, CancellationToken.None);

        Assert.Single(results.Concat([again]).Select(r => r!.Run.Id).Distinct());
        Assert.Single(results.Concat([again]), r => r!.Created);
        Assert.Equal(1, await _h.QueryAsync(db => db.BroadcastRuns.CountAsync()));
        Assert.Equal(10, await _h.QueryAsync(db => db.Deliveries.CountAsync()));

        // A different slot is a different run.
        var next = await runner.StartAsync(id, slot.AddMinutes(1), CancellationToken.None);
        Assert.True(next!.Created);
        Assert.Equal(2, await _h.QueryAsync(db => db.BroadcastRuns.CountAsync()));
    }

    [Fact]
    public async Task QuietHours_DeferMemberRowsToTheEndOfTheWindow_NotGroupChats_UrgentIgnoresThem()
    {
        _h.Clock.Advance(TimeSpan.FromHours(12)); // Monday 22:00 Shanghai: inside 21:00-08:00
        var id = await _h.CreateAsync(_h.BranchABody());
        var preflight = await _h.PostAsync($"/api/v1/broadcasts/{id}/preflight");
        var endOfQuiet = _h.Now.AddHours(10); // Tuesday 08:00 Shanghai
        Assert.Equal(endOfQuiet, preflight.GetProperty("deferredUntil").GetDateTime().ToUniversalTime());

        await _h.PostAsync($"/api/v1/broadcasts/{id}/confirm", new { });
        var rows = await _h.QueryAsync(db => db.Deliveries.AsNoTracking().Where(d => d.Status == DeliveryStatus.Pending).ToListAsync());
        Assert.All(rows.Where(r => r.MemberId != null), r => Assert.Equal(endOfQuiet, r.NextAttemptAt));
        Assert.All(rows.Where(r => r.GroupChatId != null), r => Assert.Null(r.NextAttemptAt));
        Assert.Equal(3, rows.Count(r => r.MemberId != null));

        var urgent = await _h.CreateAsync(_h.BranchABody(urgent: true, groupChats: false, title: "紧急通知"));
        await _h.PostAsync($"/api/v1/broadcasts/{urgent}/confirm", new { });
        var urgentRows = await _h.QueryAsync(db => db.Deliveries.AsNoTracking()
            .Where(d => d.Status == DeliveryStatus.Pending && db.BroadcastRuns.Any(r => r.Id == d.BroadcastRunId && r.BroadcastId == urgent)).ToListAsync());
        Assert.Equal(3, urgentRows.Count);
        Assert.All(urgentRows, r => Assert.Null(r.NextAttemptAt));
    }

    [Fact]
    public async Task Budget_ThreeNonUrgentPushesThisWeek_FourthIsSkippedBudget_UrgentStillGoes()
    {
        for (var i = 1; i <= 3; i++)
        {
            var id = await _h.CreateAsync(_h.BranchABody(groupChats: false, title: $"第{i}条通知"));
            await _h.PostAsync($"/api/v1/broadcasts/{id}/confirm", new { });
            _h.Clock.Advance(TimeSpan.FromMinutes(5));
        }
        var fourth = await _h.CreateAsync(_h.BranchABody(groupChats: false, title: "第4条通知"));
        var preflight = await _h.PostAsync($"/api/v1/broadcasts/{fourth}/preflight");
        Assert.Equal(3, preflight.GetProperty("byReason").GetProperty("Budget").GetInt32()); // cs, mobile, ding got 3 already
        await _h.PostAsync($"/api/v1/broadcasts/{fourth}/confirm", new { });
        var fourthRows = await RowsOf(fourth);
        Assert.Equal(3, fourthRows.Count(r => r.SkipReason == "budget"));
        Assert.DoesNotContain(fourthRows, r => r.Status == DeliveryStatus.Pending);

        var urgent = await _h.CreateAsync(_h.BranchABody(urgent: true, groupChats: false, title: "紧急"));
        await _h.PostAsync($"/api/v1/broadcasts/{urgent}/confirm", new { });
        Assert.Equal(3, (await RowsOf(urgent)).Count(r => r.Status == DeliveryStatus.Pending));

        // Next Monday the budget starts again.
        _h.Clock.Advance(TimeSpan.FromDays(7));
        var nextWeek = await _h.CreateAsync(_h.BranchABody(groupChats: false, title: "下周通知"));
        var p = await _h.PostAsync($"/api/v1/broadcasts/{nextWeek}/preflight");
        Assert.False(p.GetProperty("byReason").TryGetProperty("Budget", out _));
    }

    [Fact]
    public async Task PauseResumeCancel_MidRun_HoldReleaseAndSkipPendingRows()
    {
        var id = await _h.CreateAsync(_h.BranchABody());
        await _h.PostAsync($"/api/v1/broadcasts/{id}/confirm", new { });
        var first = await RowsOf(id);
        // One row already went out before the pause.
        var sentId = first.First(r => r.Status == DeliveryStatus.Pending).Id;
        await _h.SettleAsync(q => q.Where(d => d.Id == sentId), DeliveryStatus.Sent);

        var paused = await _h.PostAsync($"/api/v1/broadcasts/{id}/pause");
        Assert.Equal("Paused", paused.GetProperty("status").GetString());
        var held = (await RowsOf(id)).Where(r => r.Status == DeliveryStatus.Pending).ToList();
        Assert.Equal(4, held.Count);
        Assert.All(held, r => Assert.Equal(Delivery.HeldNextAttemptAt, r.NextAttemptAt));
        await _h.PostAsync($"/api/v1/broadcasts/{id}/pause", expected: HttpStatusCode.Conflict);

        var resumed = await _h.PostAsync($"/api/v1/broadcasts/{id}/resume");
        Assert.Equal("Running", resumed.GetProperty("status").GetString());
        Assert.All((await RowsOf(id)).Where(r => r.Status == DeliveryStatus.Pending), r => Assert.True(r.NextAttemptAt <= _h.Now));
        await _h.PostAsync($"/api/v1/broadcasts/{id}/resume", expected: HttpStatusCode.Conflict);

        var cancelled = await _h.PostAsync($"/api/v1/broadcasts/{id}/cancel");
        Assert.Equal("Cancelled", cancelled.GetProperty("status").GetString());
        var after = await RowsOf(id);
        Assert.DoesNotContain(after, r => r.Status == DeliveryStatus.Pending);
        Assert.Equal(4, after.Count(r => r.SkipReason == "cancelled"));
        Assert.Equal(DeliveryStatus.Sent, after.Single(r => r.Id == sentId).Status); // what went out stays Sent
        Assert.Equal("Cancelled", cancelled.GetProperty("runs")[0].GetProperty("status").GetString());
    }

    [Fact]
    public async Task Resume_DuringQuietHours_MemberRowsWaitForTheEndOfTheWindow()
    {
        var id = await _h.CreateAsync(_h.BranchABody());
        await _h.PostAsync($"/api/v1/broadcasts/{id}/confirm", new { });
        await _h.PostAsync($"/api/v1/broadcasts/{id}/pause");
        _h.Clock.Advance(TimeSpan.FromHours(12)); // 22:00
        await _h.PostAsync($"/api/v1/broadcasts/{id}/resume");
        var pending = (await RowsOf(id)).Where(r => r.Status == DeliveryStatus.Pending).ToList();
        Assert.All(pending.Where(r => r.MemberId != null), r => Assert.Equal(_h.Now.AddHours(10), r.NextAttemptAt));
        Assert.All(pending.Where(r => r.GroupChatId != null), r => Assert.Equal(_h.Now, r.NextAttemptAt));
    }

    [Fact]
    public async Task Report_CountsByStatus_PagedRowsWithMaskedPhones_CsvStreamsEveryRow_CompletesWhenNothingIsOpen()
    {
        var id = await _h.CreateAsync(_h.BranchABody());
        await _h.PostAsync($"/api/v1/broadcasts/{id}/confirm", new { });
        var cs = _h.Data.Members["cs"];
        var ding = _h.Data.Members["ding"];
        await _h.SettleAsync(q => q.Where(d => d.MemberId == cs), DeliveryStatus.Sent);
        await _h.SettleAsync(q => q.Where(d => d.MemberId == ding), DeliveryStatus.Failed, "errcode 300001");

        var report = await _h.GetJsonAsync($"/api/v1/broadcasts/{id}/report?pageSize=4");
        var counts = report.GetProperty("counts");
        Assert.Equal(3, counts.GetProperty("Pending").GetInt32());
        Assert.Equal(0, counts.GetProperty("Sending").GetInt32());
        Assert.Equal(1, counts.GetProperty("Sent").GetInt32());
        Assert.Equal(1, counts.GetProperty("Failed").GetInt32());
        Assert.Equal(0, counts.GetProperty("Unknown").GetInt32());
        Assert.Equal(5, counts.GetProperty("Skipped").GetInt32());
        Assert.Equal(10, report.GetProperty("total").GetInt32());
        Assert.Equal(4, report.GetProperty("rows").GetArrayLength());
        var page3 = await _h.GetJsonAsync($"/api/v1/broadcasts/{id}/report?pageSize=4&page=3");
        Assert.Equal(2, page3.GetProperty("rows").GetArrayLength());
        var all = (await _h.GetJsonAsync($"/api/v1/broadcasts/{id}/report?pageSize=100")).GetProperty("rows").EnumerateArray().ToList();
        var sentRow = all.Single(r => r.TryGetProperty("memberId", out var m) && m.ValueKind == JsonValueKind.Number && m.GetInt32() == cs);
        Assert.Equal("王建国", sentRow.GetProperty("name").GetString());
        Assert.Equal("138****1000", sentRow.GetProperty("phone").GetString());
        Assert.Equal("WeChatCustomerService", sentRow.GetProperty("route").GetString());
        Assert.Equal("Sent", sentRow.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.String, sentRow.GetProperty("sentAt").ValueKind);
        var failed = all.Single(r => r.GetProperty("status").GetString() == "Failed");
        Assert.Equal("errcode 300001", failed.GetProperty("reason").GetString());
        Assert.Contains(all, r => r.GetProperty("name").GetString() == "城南静音群" && r.GetProperty("reason").GetString() == "groupChatMuted");

        var csv = await _h.Client().GetAsync($"/api/v1/broadcasts/{id}/report?format=csv");
        Assert.Equal("text/csv", csv.Content.Headers.ContentType!.MediaType);
        var lines = (await csv.Content.ReadAsStringAsync()).TrimStart('\uFEFF').Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(11, lines.Length);
        Assert.StartsWith("delivery_id,member_id", lines[0]);
        Assert.Contains(lines, l => l.Contains("\"王建国\"") && l.Contains("\"138****1000\"") && l.Contains(",Sent,"));
        Assert.DoesNotContain(lines, l => l.Contains("13800131000"));

        Assert.Equal("Running", report.GetProperty("status").GetString());
        await _h.SettleAsync(q => q.Where(d => d.Status == DeliveryStatus.Pending), DeliveryStatus.Sent);
        var done = await _h.GetJsonAsync($"/api/v1/broadcasts/{id}/report");
        Assert.Equal("Completed", done.GetProperty("status").GetString());
        Assert.Equal("Completed", done.GetProperty("runStatus").GetString());
    }

    [Fact]
    public async Task ResendFailed_NewRunLinkedToTheFirst_OnlyFailedRows_UnknownOnlyWhenTicked()
    {
        var id = await _h.CreateAsync(_h.BranchABody());
        await _h.PostAsync($"/api/v1/broadcasts/{id}/confirm", new { });
        var firstRun = await _h.QueryAsync(db => db.BroadcastRuns.SingleAsync());
        await _h.SettleAsync(q => q.Where(d => d.MemberId == _h.Data.Members["cs"]), DeliveryStatus.Failed, "errcode -1");
        await _h.SettleAsync(q => q.Where(d => d.MemberId == _h.Data.Members["mobile"]), DeliveryStatus.Unknown, "timeout");
        await _h.SettleAsync(q => q.Where(d => d.GroupChatId == _h.Data.Chats["dingOk"]), DeliveryStatus.Failed, "130101 send too fast");
        await _h.SettleAsync(q => q.Where(d => d.Status == DeliveryStatus.Pending), DeliveryStatus.Sent);

        var resend = await _h.PostAsync($"/api/v1/broadcasts/{id}/resend-failed", new { }, HttpStatusCode.Created);
        var runId = resend.GetProperty("runId").GetInt32();
        Assert.Equal(firstRun.Id, resend.GetProperty("resendOfRunId").GetInt32());
        var run = await _h.QueryAsync(db => db.BroadcastRuns.SingleAsync(r => r.Id == runId));
        Assert.Equal(firstRun.Id, run.ResendOfRunId);
        var rows = await _h.QueryAsync(db => db.Deliveries.AsNoTracking().Where(d => d.BroadcastRunId == runId).ToListAsync());
        Assert.Equal(2, rows.Count);
        Assert.Contains(rows, r => r.MemberId == _h.Data.Members["cs"] && r.Status == DeliveryStatus.Pending && r.IdempotencyKey == BroadcastRules.MemberKey(runId, r.MemberId!.Value));
        Assert.Contains(rows, r => r.GroupChatId == _h.Data.Chats["dingOk"] && r.Route == DeliveryRoute.DingTalkRobot);
        Assert.DoesNotContain(rows, r => r.MemberId == _h.Data.Members["mobile"]); // Unknown: only when ticked

        // A second click answers the same run.
        var again = await _h.PostAsync($"/api/v1/broadcasts/{id}/resend-failed", new { }, HttpStatusCode.OK);
        Assert.Equal(runId, again.GetProperty("runId").GetInt32());

        // The resend run fails once more for the mobile member, this time ticking Unknown on the first run's chain.
        await _h.SettleAsync(q => q.Where(d => d.BroadcastRunId == runId), DeliveryStatus.Unknown, "timeout");
        var withUnknown = await _h.PostAsync($"/api/v1/broadcasts/{id}/resend-failed", new { includeUnknown = true }, HttpStatusCode.Created);
        var thirdRun = withUnknown.GetProperty("runId").GetInt32();
        Assert.Equal(runId, withUnknown.GetProperty("resendOfRunId").GetInt32());
        Assert.Equal(2, await _h.QueryAsync(db => db.Deliveries.CountAsync(d => d.BroadcastRunId == thirdRun)));
    }

    [Fact]
    public async Task Validation_AnswersProblemDetailsNamingTheField()
    {
        async Task<JsonElement> Bad(string path, object body)
        {
            var response = await _h.Client().PostAsJsonAsync(path, body);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, text);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
            return JsonDocument.Parse(text).RootElement.GetProperty("errors");
        }
        var audience = new { organisationIds = new[] { _h.Data.BranchA } };
        Assert.True((await Bad("/api/v1/broadcasts", new { title = " ", text = "x", audience })).TryGetProperty("title", out _));
        Assert.True((await Bad("/api/v1/broadcasts", new { title = "t", text = new string('字', 1001), audience })).TryGetProperty("text", out _));
        Assert.True((await Bad("/api/v1/broadcasts", new { title = "t", text = "x", audience = new { organisationIds = new[] { 99999 } } }))
            .TryGetProperty("audience.organisationIds", out _));
        Assert.True((await Bad("/api/v1/broadcasts", new { title = "t", text = "x", audience = new { organisationIds = Array.Empty<int>() } }))
            .TryGetProperty("audience.organisationIds", out _));
        Assert.True((await Bad("/api/v1/broadcasts", new { title = "t", text = "x", audience = new { organisationIds = new[] { _h.Data.BranchA }, statuses = new[] { "党员" } } }))
            .TryGetProperty("audience.statuses", out _));
        Assert.True((await Bad("/api/v1/broadcasts", new { title = "t", text = "x", contentItemId = 4242, audience })).TryGetProperty("contentItemId", out _));
        Assert.True((await Bad("/api/v1/broadcasts", new { title = "t", text = "x" })).TryGetProperty("audience", out _));

        var id = await _h.CreateAsync(_h.BranchABody());
        Assert.True((await Bad($"/api/v1/broadcasts/{id}/confirm", new { cron = "every day at nine" })).TryGetProperty("cron", out _));
        Assert.True((await Bad($"/api/v1/broadcasts/{id}/confirm", new { sendAt = _h.Clock.GetUtcNow().AddHours(-1) })).TryGetProperty("sendAt", out _));
        Assert.True((await Bad($"/api/v1/broadcasts/{id}/confirm", new { sendAt = _h.Clock.GetUtcNow().AddHours(1), cron = "0 9 * * 1" })).TryGetProperty("cron", out _));
        var page = await _h.Client().GetAsync($"/api/v1/broadcasts/{id}/report?pageSize=5000");
        Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
        Assert.Contains("pageSize", await page.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, (await _h.Client().GetAsync($"/api/v1/broadcasts/{id}/report?format=xlsx")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _h.Client().PostAsJsonAsync("/api/v1/broadcasts/777/preflight", new { })).StatusCode);
        // Still a draft: nothing was confirmed by the bad requests.
        Assert.Equal("Draft", (await _h.GetJsonAsync($"/api/v1/broadcasts/{id}")).GetProperty("status").GetString());
        // Without the API key (and not loopback) the guard refuses.
        Assert.Equal(HttpStatusCode.Forbidden, (await _h.Factory.CreateClient().GetAsync($"/api/v1/broadcasts/{id}")).StatusCode);
    }

    [Fact]
    public async Task SendAt_StaysScheduledUntilDue_ThenTheSchedulerStartsOneRun()
    {
        var id = await _h.CreateAsync(_h.BranchABody());
        var sendAt = _h.Clock.GetUtcNow().AddHours(2);
        var confirmed = await _h.PostAsync($"/api/v1/broadcasts/{id}/confirm", new { sendAt });
        Assert.Equal("Scheduled", confirmed.GetProperty("status").GetString());
        var scheduler = _h.Get<BroadcastScheduler>();
        await scheduler.RunOnceAsync(CancellationToken.None);
        Assert.Equal(0, await _h.QueryAsync(db => db.BroadcastRuns.CountAsync()));

        _h.Clock.Advance(TimeSpan.FromHours(2));
        await scheduler.RunOnceAsync(CancellationToken.None);
        await scheduler.RunOnceAsync(CancellationToken.None);
        var run = await _h.QueryAsync(db => db.BroadcastRuns.SingleAsync());
        Assert.Equal(BroadcastRules.RunKey(id, sendAt.UtcDateTime), run.RunKey);
        Assert.Equal(10, await _h.QueryAsync(db => db.Deliveries.CountAsync()));
        Assert.Equal("Running", (await _h.GetJsonAsync($"/api/v1/broadcasts/{id}")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task InterruptedRun_TheSweepWritesTheMissingRows_WithoutDuplicates()
    {
        var id = await _h.CreateAsync(_h.BranchABody());
        await _h.PostAsync($"/api/v1/broadcasts/{id}/confirm", new { });
        // Simulate a host that died half way: drop some rows and the "all written" mark.
        await using (var db = _h.Db())
        {
            await db.Deliveries.Where(d => d.GroupChatId != null).ExecuteDeleteAsync();
            await db.BroadcastRuns.ExecuteUpdateAsync(s => s.SetProperty(r => r.EnqueuedAt, (DateTime?)null));
        }
        _h.Clock.Advance(BroadcastScheduler.InterruptedAfter + TimeSpan.FromSeconds(1));
        await _h.Get<BroadcastScheduler>().RunOnceAsync(CancellationToken.None);
        var rows = await _h.QueryAsync(db => db.Deliveries.AsNoTracking().ToListAsync());
        Assert.Equal(10, rows.Count);
        Assert.Equal(10, rows.Select(r => r.IdempotencyKey).Distinct().Count());
        Assert.NotNull((await _h.QueryAsync(db => db.BroadcastRuns.SingleAsync())).EnqueuedAt);
    }

    [Fact]
    public async Task Cron_RegistersAStableRecurringJob_ReRegisteredFromTheDatabaseAtStart_OneRunPerSlot()
    {
        var id = await _h.CreateAsync(_h.BranchABody());
        var confirmed = await _h.PostAsync($"/api/v1/broadcasts/{id}/confirm", new { cron = "0 9 * * 1" });
        Assert.Equal("Scheduled", confirmed.GetProperty("status").GetString());
        Assert.Equal("0 9 * * 1", confirmed.GetProperty("cron").GetString());
        Assert.Equal(JsonValueKind.String, confirmed.GetProperty("nextOccurrence").ValueKind);
        Assert.Contains(RecurringJobs(_h), j => j.Id == BroadcastScheduler.JobId(id) && j.Cron == "0 9 * * 1");

        // The job fires (twice, as two hosts or a retry would): one run for the slot, Monday 09:00 Shanghai.
        var job = _h.Get<BroadcastCronJob>();
        await job.RunAsync(id, CancellationToken.None);
        await job.RunAsync(id, CancellationToken.None);
        var run = await _h.QueryAsync(db => db.BroadcastRuns.SingleAsync());
        Assert.Equal(BroadcastRules.RunKey(id, _h.Now.AddHours(-1)), run.RunKey);

        // A second host on the same database (its own in-memory Hangfire) has the job after start.
        var file = _h.Factory.SqliteFilePath;
        var other = new Infrastructure.ChatBotFactory();
        other.Settings["Database:ConnectionString"] = $"Data Source={file}";
        await using var second = await BroadcastHarness.StartAsync(factory: other, seed: false);
        Assert.Contains(RecurringJobs(second), j => j.Id == BroadcastScheduler.JobId(id));

        await _h.PostAsync($"/api/v1/broadcasts/{id}/cancel");
        Assert.DoesNotContain(RecurringJobs(_h), j => j.Id == BroadcastScheduler.JobId(id));
    }

    private static List<RecurringJobDto> RecurringJobs(BroadcastHarness h)
    {
        using var connection = h.Get<JobStorage>().GetConnection();
        return connection.GetRecurringJobs();
    }

    private Task<List<Delivery>> RowsOf(int broadcastId) => _h.QueryAsync(db => db.Deliveries.AsNoTracking()
        .Where(d => db.BroadcastRuns.Any(r => r.Id == d.BroadcastRunId && r.BroadcastId == broadcastId)).ToListAsync());
}
