using ChatBot.Core.Delivery;
using ChatBot.Core.Domain;
using ChatBot.Host.Delivery;
using ChatBot.IntegrationTests.Data;
using ChatBot.IntegrationTests.WeChat;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace ChatBot.IntegrationTests.Delivery;

/// <summary>The outbox and its sender on the real host: states, retries, Unknown, poison rows, the sweep, routing at send time.</summary>
public sealed class OutboxSenderTests : IAsyncLifetime
{
    private FakeWeChatApi _api = null!;
    private TestDatabase _database = null!;
    private DeliveryTestHost _host = null!;
    private readonly FakeTimeProvider _clock = new(DeliveryTestHost.Start);

    public async Task InitializeAsync()
    {
        _api = await FakeWeChatApi.StartAsync();
        _database = await TestDatabase.CreateSqliteAsync();
        _host = new DeliveryTestHost(_database, _api, _clock, new Dictionary<string, string?>
        {
            ["WeChat:Templates:notice:TemplateId"] = "tmpl-notice",
            ["WeChat:Templates:notice:Fields:thing2"] = "title",
            ["WeChat:Templates:notice:Fields:thing3"] = "text",
            ["WeChat:Templates:notice:Fields:time4"] = "time",
            ["Scheduling:QuietHours"] = "21:00-08:00",
        });
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _database.DisposeAsync();
        await _api.DisposeAsync();
    }

    /// <summary>
    /// One sender pass while the pinned clock moves on: the HTTP handler's backoff and timeouts run on the host's
    /// clock, so they elapse only when it is advanced.
    /// </summary>
    private async Task<int> PassWithClockAsync(TimeSpan? step = null)
    {
        var pass = _host.Sender.ProcessDueAsync();
        while (!pass.IsCompleted)
        {
            _clock.Advance(step ?? TimeSpan.FromMilliseconds(500));
            await Task.WhenAny(pass, Task.Delay(20));
        }
        return await pass;
    }

    private Task<Core.Domain.Delivery> RowAsync(string key) => _host.QueryAsync(db => db.Deliveries.SingleAsync(d => d.IdempotencyKey == key));

    [Fact]
    public async Task EnqueueAsync_CountsOnlyNewRows_WhenKeysRepeatInAndAcrossBatches()
    {
        var members = await _host.AddWeChatMembersAsync(3, TimeSpan.FromHours(1));
        var first = await _host.Outbox.EnqueueAsync([DeliveryTestHost.MemberItem(members[0].MemberId, "k1"), DeliveryTestHost.MemberItem(members[1].MemberId, "k2")], default);
        var second = await _host.Outbox.EnqueueAsync(
            [DeliveryTestHost.MemberItem(members[0].MemberId, "k1"), DeliveryTestHost.MemberItem(members[2].MemberId, "k3"), DeliveryTestHost.MemberItem(members[2].MemberId, "k3")], default);

        Assert.Equal(2, first);
        Assert.Equal(1, second);
        var rows = await _host.QueryAsync(db => db.Deliveries.OrderBy(d => d.Id).ToListAsync());
        Assert.Equal(["k1", "k2", "k3"], rows.Select(r => r.IdempotencyKey));
        Assert.All(rows, r => Assert.Equal(DeliveryStatus.Pending, r.Status));
    }

    [Fact]
    public async Task ProcessDueAsync_SendsCustomerServiceTextWithLinkOnce_WhenWindowIsOpen()
    {
        var (memberId, openId) = (await _host.AddWeChatMembersAsync(1, TimeSpan.FromHours(47).Add(TimeSpan.FromMinutes(59))))[0];
        await _host.Outbox.EnqueueAsync([DeliveryTestHost.MemberItem(memberId, "cs-1", url: "https://example.org/m/lesson/1?sig=abc")], default);

        await _host.DrainAsync();
        await _host.DrainAsync(); // a second pass finds nothing to send again

        var call = Assert.Single(_api.Delivered);
        Assert.Equal(FakeWeChatApi.CustomerServicePath, call.Path);
        Assert.Equal(openId, call.Body!["touser"]!.GetValue<string>());
        var content = call.Body["text"]!["content"]!.GetValue<string>();
        Assert.Contains("请完成本周学习任务", content);
        Assert.EndsWith("https://example.org/m/lesson/1?sig=abc", content);
        var row = await RowAsync("cs-1");
        Assert.Equal(DeliveryStatus.Sent, row.Status);
        Assert.Equal(1, row.Attempts);
        Assert.NotNull(row.SentAt);
        var identity = await _host.QueryAsync(db => db.ChannelIdentities.SingleAsync(i => i.ExternalId == openId));
        Assert.Equal(1, identity.CustomerServiceSendsInWindow);
    }

    [Fact]
    public async Task ProcessDueAsync_SendsTemplateWithClientMsgIdAndTrimmedFields_WhenWindowClosedAt48Hours()
    {
        var (memberId, openId) = (await _host.AddWeChatMembersAsync(1, TimeSpan.FromHours(48)))[0];
        var longText = new string('学', 30);
        await _host.Outbox.EnqueueAsync([DeliveryTestHost.MemberItem(memberId, "tm-1", kind: MessageKinds.Notice, text: longText, url: "https://example.org/m/tasks")], default);
        // A broadcast kind without a template cannot reach this member at all.
        await _host.Outbox.EnqueueAsync([DeliveryTestHost.MemberItem(memberId, "bc-1", kind: MessageKinds.Broadcast)], default);

        await _host.DrainAsync();

        var call = Assert.Single(_api.Delivered);
        Assert.Equal(FakeWeChatApi.TemplatePath, call.Path);
        Assert.Equal(openId, call.Body!["touser"]!.GetValue<string>());
        Assert.Equal("tmpl-notice", call.Body["template_id"]!.GetValue<string>());
        Assert.Equal("tm-1", call.Body["client_msg_id"]!.GetValue<string>());
        Assert.Equal("https://example.org/m/tasks", call.Body["url"]!.GetValue<string>());
        Assert.Equal(new string('学', 19) + "…", call.Body["data"]!["thing3"]!["value"]!.GetValue<string>());
        var template = await RowAsync("tm-1");
        Assert.Equal((DeliveryStatus.Sent, DeliveryRoute.WeChatTemplate), (template.Status, template.Route));
        var broadcast = await RowAsync("bc-1");
        Assert.Equal((DeliveryStatus.Skipped, UnreachableReason.WindowClosedNoTemplate.Code()), (broadcast.Status, broadcast.SkipReason));
    }

    [Fact]
    public async Task ProcessDueAsync_DefersToEndOfQuietHoursThenSends_WhenQueuedAtNight()
    {
        var (memberId, _) = (await _host.AddWeChatMembersAsync(1, TimeSpan.FromHours(1)))[0];
        _clock.SetUtcNow(new DateTimeOffset(2026, 11, 23, 14, 0, 0, TimeSpan.Zero)); // 22:00 Shanghai
        await _host.Outbox.EnqueueAsync([DeliveryTestHost.MemberItem(memberId, "night-1", kind: MessageKinds.Broadcast)], default);

        await _host.DrainAsync();

        Assert.Empty(_api.Delivered);
        var deferred = await RowAsync("night-1");
        Assert.Equal(DeliveryStatus.Pending, deferred.Status);
        Assert.Equal(new DateTime(2026, 11, 24, 0, 0, 0, DateTimeKind.Utc), deferred.NextAttemptAt); // 08:00 Shanghai
        Assert.Equal(0, deferred.Attempts);

        _clock.SetUtcNow(new DateTimeOffset(2026, 11, 24, 0, 0, 0, TimeSpan.Zero));
        await _host.DrainAsync();
        Assert.Single(_api.Delivered);
        Assert.Equal(DeliveryStatus.Sent, (await RowAsync("night-1")).Status);
    }

    [Fact]
    public async Task ProcessDueAsync_MarksUnknownAndNeverResends_WhenWeChatNeverAnswers()
    {
        var (memberId, _) = (await _host.AddWeChatMembersAsync(1, TimeSpan.FromHours(1)))[0];
        await _host.Outbox.EnqueueAsync([DeliveryTestHost.MemberItem(memberId, "hang-1")], default);
        _api.HangNext(FakeWeChatApi.CustomerServicePath);

        // The HTTP timeouts run on the host's clock: move it past them instead of waiting.
        await PassWithClockAsync();

        var row = await RowAsync("hang-1");
        Assert.Equal(DeliveryStatus.Unknown, row.Status);
        Assert.Contains("NoAnswer", row.LastError);
        _clock.Advance(TimeSpan.FromHours(1));
        await _host.Sender.SweepAsync();
        await _host.DrainAsync();
        Assert.Single(_api.CallsTo(FakeWeChatApi.CustomerServicePath)); // sent once, never again
        Assert.Equal(DeliveryStatus.Unknown, (await RowAsync("hang-1")).Status);
    }

    [Fact]
    public async Task ProcessDueAsync_RetriesWithBackoffAndSendsOneMessage_WhenWeChatIsBusyFirst()
    {
        var (memberId, _) = (await _host.AddWeChatMembersAsync(1, TimeSpan.FromHours(1)))[0];
        await _host.Outbox.EnqueueAsync([DeliveryTestHost.MemberItem(memberId, "busy-1")], default);
        _api.FailNext(FakeWeChatApi.CustomerServicePath, -1, times: 3); // more than the HTTP handler's own two retries

        await PassWithClockAsync();

        var waiting = await RowAsync("busy-1");
        Assert.Equal(DeliveryStatus.Pending, waiting.Status);
        Assert.Equal(1, waiting.Attempts);
        Assert.Contains("Transient", waiting.LastError);
        Assert.Equal(3, _api.CallsTo(FakeWeChatApi.CustomerServicePath).Count);
        var delay = waiting.NextAttemptAt!.Value - _clock.GetUtcNow().UtcDateTime;
        Assert.InRange(delay, TimeSpan.FromSeconds(7), TimeSpan.FromSeconds(12)); // 10 s ± 20 % jitter, less the clock's last step
        Assert.Equal(0, await _host.Sender.ProcessDueAsync()); // not due yet

        _clock.Advance(TimeSpan.FromSeconds(13));
        await _host.DrainAsync();

        Assert.Single(_api.Delivered);
        var sent = await RowAsync("busy-1");
        Assert.Equal((DeliveryStatus.Sent, 2), (sent.Status, sent.Attempts));
    }

    [Fact]
    public async Task ProcessDueAsync_FailsAfterMaxAttempts_WhenWeChatStaysBusy()
    {
        var (memberId, _) = (await _host.AddWeChatMembersAsync(1, TimeSpan.FromHours(1)))[0];
        await _host.Outbox.EnqueueAsync([DeliveryTestHost.MemberItem(memberId, "busy-forever")], default);
        _api.FailNext(FakeWeChatApi.CustomerServicePath, -1, times: 1000);

        for (var i = 0; i < 10; i++)
        {
            await PassWithClockAsync();
            _clock.Advance(TimeSpan.FromHours(1));
        }

        var row = await RowAsync("busy-forever");
        Assert.Equal(DeliveryStatus.Failed, row.Status);
        Assert.Equal(new DeliveryOptions().MaxAttempts, row.Attempts);
        Assert.StartsWith("gave up after", row.LastError);
        Assert.Empty(_api.Delivered);
    }

    [Fact]
    public async Task ProcessDueAsync_FailsPoisonRowAndSendsTheNext_WhenPayloadCannotBeRead()
    {
        var members = await _host.AddWeChatMembersAsync(2, TimeSpan.FromHours(1));
        await _host.Outbox.EnqueueAsync(
        [
            new OutboxItem { IdempotencyKey = "poison-1", MemberId = members[0].MemberId, Payload = "{\"kind\": 42, \"title\": [" },
            new OutboxItem { IdempotencyKey = "poison-2", Route = DeliveryRoute.WeChatCustomerService, Payload = "{\"openId\": null}" },
            DeliveryTestHost.MemberItem(members[1].MemberId, "after-poison"),
        ], default);

        await _host.DrainAsync();

        var poison = await RowAsync("poison-1");
        Assert.Equal(DeliveryStatus.Failed, poison.Status);
        Assert.StartsWith("poison row: ", poison.LastError);
        Assert.Equal(DeliveryStatus.Failed, (await RowAsync("poison-2")).Status);
        Assert.Equal(DeliveryStatus.Sent, (await RowAsync("after-poison")).Status);
        Assert.Equal(members[1].OpenId, Assert.Single(_api.Delivered).Body!["touser"]!.GetValue<string>());
    }

    [Fact]
    public async Task SweepAsync_MarksStuckCustomerServiceUnknownAndTemplatePending_AfterLease()
    {
        var members = await _host.AddWeChatMembersAsync(2, TimeSpan.FromHours(1));
        await _host.Outbox.EnqueueAsync([DeliveryTestHost.MemberItem(members[0].MemberId, "stuck-cs"), DeliveryTestHost.MemberItem(members[1].MemberId, "stuck-tm", kind: MessageKinds.Notice)], default);
        var claimedAt = _clock.GetUtcNow().UtcDateTime;
        await _host.QueryAsync(db => db.Deliveries.ExecuteUpdateAsync(s => s
            .SetProperty(d => d.Status, DeliveryStatus.Sending).SetProperty(d => d.ClaimedBy, "dead-instance").SetProperty(d => d.ClaimedAt, claimedAt)));
        await _host.QueryAsync(db => db.Deliveries.Where(d => d.IdempotencyKey == "stuck-tm")
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.Route, DeliveryRoute.WeChatTemplate)));

        Assert.Equal(0, await _host.Sender.SweepAsync()); // inside the lease: the owner may still be sending
        _clock.Advance(TimeSpan.FromSeconds(new DeliveryOptions().SendingLeaseSeconds + 1));
        Assert.Equal(2, await _host.Sender.SweepAsync());

        var cs = await RowAsync("stuck-cs");
        Assert.Equal(DeliveryStatus.Unknown, cs.Status);
        Assert.Equal(OutboxSender.LeaseExpiredReason, cs.LastError);
        Assert.Equal(DeliveryStatus.Pending, (await RowAsync("stuck-tm")).Status);
        await _host.DrainAsync();
        Assert.Single(_api.Delivered); // the idempotent (template) row went again, routed afresh; the 客服 row did not
        Assert.Equal(DeliveryStatus.Unknown, (await RowAsync("stuck-cs")).Status);
    }

    [Fact]
    public async Task ProcessDueAsync_RoutesToTemplate_WhenWeChatSaysWindowClosedThoughOurCountSaysOpen()
    {
        var (memberId, openId) = (await _host.AddWeChatMembersAsync(1, TimeSpan.FromHours(1)))[0];
        await _host.Outbox.EnqueueAsync([DeliveryTestHost.MemberItem(memberId, "closed-1", kind: MessageKinds.Notice)], default);
        _api.FailNext(FakeWeChatApi.CustomerServicePath, 45015);

        await _host.DrainAsync();

        Assert.Equal(FakeWeChatApi.TemplatePath, Assert.Single(_api.Delivered).Path);
        var identity = await _host.QueryAsync(db => db.ChannelIdentities.SingleAsync(i => i.ExternalId == openId));
        Assert.Equal(CustomerServiceWindow.MessagesPerWindow, identity.CustomerServiceSendsInWindow);
        Assert.Equal(DeliveryRoute.WeChatTemplate, (await RowAsync("closed-1")).Route);
    }

    [Fact]
    public async Task ProcessDueAsync_SkipsWithReason_WhenMemberIsUnbound()
    {
        int memberId;
        await using (var db = _database.CreateContext())
            memberId = (await TestData.AddMemberAsync(db)).Id;
        await _host.Outbox.EnqueueAsync([DeliveryTestHost.MemberItem(memberId, "unbound-1")], default);

        await _host.DrainAsync();

        var row = await RowAsync("unbound-1");
        Assert.Equal((DeliveryStatus.Skipped, UnreachableReason.Unbound.Code()), (row.Status, row.SkipReason));
        Assert.DoesNotContain(_api.Calls, c => c.Path != FakeWeChatApi.TokenPath);
    }
}
