using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ChatBot.Core.Cadence;
using ChatBot.Core.Delivery;
using ChatBot.Core.Domain;
using ChatBot.Host.Cadence;
using ChatBot.Host.Data;
using ChatBot.Host.GroupChats;
using ChatBot.Host.Schedules;
using NotificationTemplates = ChatBot.Host.Schedules.NotificationTemplates;
using ChatBot.IntegrationTests.Admin;
using ChatBot.IntegrationTests.Api;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ChatBot.IntegrationTests.Cadence;

/// <summary>
/// 三会一课 cadence end to end on the real host (SQLite, pinned clock at Monday 2026-11-23 10:00 Shanghai): the API in
/// scope, overrides audited, the alert to a linked secretary's route or the branch group chat, the weekly note, and
/// reruns adding nothing.
/// </summary>
public sealed class CadenceTests : IAsyncLifetime
{
    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
    private ConsoleTestHost _h = null!;

    // WeChat on (so a bound secretary is reachable by 客服), its API on a closed port: nothing here needs a send to succeed.
    public async Task InitializeAsync() => _h = await ConsoleTestHost.StartAsync(f => f.WithSetting("WeChat:Token", "test-token")
        .WithSetting("WeChat:AppId", "wx-test-app").WithSetting("WeChat:AppSecret", "wx-test-secret").WithSetting("WeChat:ApiBaseUrl", "http://127.0.0.1:9"));
    public async Task DisposeAsync() => await _h.DisposeAsync();

    private static DateTime Local(int year, int month, int day, int hour = 10) =>
        TimeZoneInfo.ConvertTimeToUtc(new DateTime(year, month, day, hour, 0, 0, DateTimeKind.Unspecified), Shanghai);

    private void SetClock(DateTime utc) => _h.Clock.SetUtcNow(new DateTimeOffset(utc, TimeSpan.Zero));

    private Task AddActivityAsync(Organisation branch, ActivityKind kind, DateTime startsAt, bool cancelled = false) => _h.WithDbAsync(async db =>
    {
        db.Activities.Add(new Activity
        {
            OrganisationId = branch.Id, Kind = kind, Title = kind + " " + startsAt.ToString("u"), StartsAt = startsAt, EndsAt = startsAt.AddHours(1),
            SignUpDeadline = startsAt, Cancelled = cancelled, CreatedAt = startsAt.AddDays(-10),
        });
        return await db.SaveChangesAsync();
    });

    /// <summary>Member 张书记 in branch A, bound on WeChat with an open 客服 window, linked to the account shuji-a.</summary>
    private Task<int> LinkSecretaryAAsync() => _h.WithDbAsync(async db =>
    {
        var member = new Member { Name = "张书记", OrganisationId = _h.BranchA.Id, CreatedAt = _h.Clock.GetUtcNow().UtcDateTime };
        db.Members.Add(member);
        await db.SaveChangesAsync();
        db.ChannelIdentities.Add(new ChannelIdentity
        {
            Channel = Channel.WeChat, ExternalId = "openid-shuji-a", MemberId = member.Id, State = BindingState.Bound,
            LastInboundAt = _h.Clock.GetUtcNow().UtcDateTime.AddDays(4), CreatedAt = _h.Clock.GetUtcNow().UtcDateTime,
        });
        var account = await db.AdminUsers.SingleAsync(u => u.UserName == "shuji-a");
        account.MemberId = member.Id;
        await db.SaveChangesAsync();
        return member.Id;
    });

    private Task<int> AddGroupChatAsync(Organisation organisation, Channel channel) => _h.WithDbAsync(async db =>
    {
        var chat = new GroupChat { Name = organisation.Name + "群", OrganisationId = organisation.Id, Channel = channel, CreatedAt = _h.Clock.GetUtcNow().UtcDateTime };
        db.GroupChats.Add(chat);
        await db.SaveChangesAsync();
        return chat.Id;
    });

    private async Task<ScheduleRunReport> RunAsync(ScheduleKind kind)
    {
        var slot = _h.Clock.GetUtcNow().UtcDateTime;
        var ids = await _h.WithDbAsync(db => db.Organisations.Select(o => o.Id).ToListAsync());
        await using var scope = _h.Factory.Services.CreateAsyncScope();
        var task = scope.ServiceProvider.GetServices<IScheduledTask>().Single(t => t.Kind == kind);
        return await task.RunAsync(new ScheduleRunContext
        {
            Schedule = new RecurringSchedule { Id = 1, Name = kind.ToString(), Kind = kind, Cron = "0 9 * * *" },
            RunId = 1, DeliveryRunId = 0, SlotUtc = slot, SlotLocal = TimeZoneInfo.ConvertTime(new DateTimeOffset(slot, TimeSpan.Zero), Shanghai),
            TimeZone = Shanghai, Scope = OrganisationPath.Root, OrganisationIds = ids.ToHashSet(),
            Parameters = JsonDocument.Parse("{}").RootElement,
        }, CancellationToken.None);
    }

    private Task<List<Core.Domain.Delivery>> CadenceRowsAsync() =>
        _h.WithDbAsync(db => db.Deliveries.AsNoTracking().Where(d => d.IdempotencyKey.StartsWith("cadence:")).OrderBy(d => d.Id).ToListAsync());

    [Fact]
    public async Task Api_lists_branches_in_scope_with_status_per_kind()
    {
        SetClock(Local(2026, 11, 27));
        await AddActivityAsync(_h.BranchA, ActivityKind.ThemeDay, Local(2026, 11, 25, 14));       // held
        await AddActivityAsync(_h.BranchA, ActivityKind.BranchCommittee, Local(2026, 11, 29, 19)); // planned
        await AddActivityAsync(_h.BranchA, ActivityKind.GroupMeeting, Local(2026, 11, 20), cancelled: true);

        var secretary = await _h.SignedInAsync("shuji-a");
        var page = await secretary.GetFromJsonAsync<JsonElement>("/api/v1/cadence");
        Assert.Equal(1, page.GetProperty("total").GetInt32());
        var branch = page.GetProperty("items")[0];
        Assert.Equal(_h.BranchA.Id, branch.GetProperty("organisationId").GetInt32());
        var meetings = branch.GetProperty("meetings").EnumerateArray().ToDictionary(m => m.GetProperty("kind").GetString()!, m => m);
        Assert.Equal("Held", meetings["ThemeDay"].GetProperty("status").GetString());
        Assert.Equal("Scheduled", meetings["BranchCommittee"].GetProperty("status").GetString());
        Assert.Equal("DueSoon", meetings["GroupMeeting"].GetProperty("status").GetString());
        Assert.Equal("2026-11-30", meetings["GroupMeeting"].GetProperty("dueDate").GetString());
        Assert.Equal(3, meetings["GroupMeeting"].GetProperty("daysToDue").GetInt32());
        Assert.Equal("Open", meetings["BranchAssembly"].GetProperty("status").GetString());
        Assert.Equal("2026-Q4", meetings["BranchAssembly"].GetProperty("period").GetString());

        var all = await _h.ApiKeyClient().GetFromJsonAsync<JsonElement>("/api/v1/cadence");
        Assert.Equal(2, all.GetProperty("total").GetInt32());

        var html = await secretary.GetStringAsync("/admin/cadence");
        Assert.Contains("甲支部", html);
        Assert.DoesNotContain("乙支部", html);
    }

    [Fact]
    public async Task Override_is_scoped_validated_and_audited()
    {
        var secretary = await _h.SignedInAsync("shuji-a");
        var off = new { frequency = "Off" };
        Assert.Equal(HttpStatusCode.NotFound, (await secretary.PutAsJsonAsync($"/api/v1/cadence/{_h.BranchB.Id}/GroupMeeting", off)).StatusCode);
        var badKind = await secretary.PutAsJsonAsync($"/api/v1/cadence/{_h.BranchA.Id}/Volunteer", off);
        Assert.Equal(HttpStatusCode.BadRequest, badKind.StatusCode);
        Assert.Contains("\"kind\"", await badKind.Content.ReadAsStringAsync());
        var badFrequency = await secretary.PutAsJsonAsync($"/api/v1/cadence/{_h.BranchA.Id}/GroupMeeting", new { frequency = "Weekly" });
        Assert.Equal(HttpStatusCode.BadRequest, badFrequency.StatusCode);

        var ok = await secretary.PutAsJsonAsync($"/api/v1/cadence/{_h.BranchA.Id}/GroupMeeting", off);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        var body = await ok.Content.ReadFromJsonAsync<JsonElement>();
        var group = body.GetProperty("meetings").EnumerateArray().Single(m => m.GetProperty("kind").GetString() == "GroupMeeting");
        Assert.Equal("NotRequired", group.GetProperty("status").GetString());
        var audit = await _h.WithDbAsync(db => db.AuditEntries.Where(a => a.Action == CadenceApi.OverrideAudit).ToListAsync());
        var entry = Assert.Single(audit);
        Assert.Equal("shuji-a", entry.Actor);
        Assert.Contains("Monthly", entry.Before);
        Assert.Contains("Off", entry.After);
    }

    [Fact]
    public async Task Alert_goes_to_the_linked_secretary_or_the_branch_group_once_per_period()
    {
        var memberId = await LinkSecretaryAAsync();
        var chatB = await AddGroupChatAsync(_h.BranchB, Channel.DingTalk);
        await AddActivityAsync(_h.BranchA, ActivityKind.ThemeDay, Local(2026, 11, 28, 14));
        await AddActivityAsync(_h.BranchB, ActivityKind.ThemeDay, Local(2026, 11, 28, 14), cancelled: true);

        SetClock(Local(2026, 11, 26, 9)); // 4 days before 30 November: not yet
        var early = await RunAsync(ScheduleKind.CadenceAlerts);
        Assert.Equal(0, early.Enqueued);
        Assert.Empty(await CadenceRowsAsync());

        SetClock(Local(2026, 11, 27, 9));
        var report = await RunAsync(ScheduleKind.CadenceAlerts);
        Assert.Equal(2, report.Enqueued);
        var rows = await CadenceRowsAsync();
        Assert.Equal(2, rows.Count);

        var toSecretary = Assert.Single(rows, r => r.MemberId == memberId);
        Assert.Equal(DeliveryRoute.WeChatCustomerService, toSecretary.Route);
        var message = MemberMessage.FromJson(toSecretary.Payload);
        Assert.Equal(CadenceMessageKinds.Alert, message.Kind);
        Assert.Contains("甲支部", message.Text);
        Assert.Contains("支委会", message.Text);
        Assert.Contains("党小组会", message.Text);
        Assert.DoesNotContain("主题党日", message.Text);   // planned for the 28th
        Assert.DoesNotContain("支部党员大会", message.Text); // quarterly, due 31 December
        Assert.Contains("11月30日", message.Text);
        Assert.DoesNotContain("{{", message.Text);

        var toGroup = Assert.Single(rows, r => r.GroupChatId == chatB);
        Assert.Equal(DeliveryRoute.DingTalkRobot, toGroup.Route);
        var push = GroupPush.FromJson(toGroup.Payload);
        Assert.Contains("乙支部", push.Text);
        Assert.Contains("主题党日", push.Text);           // the planned one was cancelled

        SetClock(Local(2026, 11, 28, 9));
        var rerun = await RunAsync(ScheduleKind.CadenceAlerts);
        Assert.Equal(0, rerun.Enqueued);
        Assert.Equal(2, (await CadenceRowsAsync()).Count);
    }

    [Fact]
    public async Task Weekly_note_lists_overdue_branches_to_the_committee_once_a_week()
    {
        // Branches existed all of November; A held everything monthly, B nothing.
        await _h.WithDbAsync(db => db.Organisations.ExecuteUpdateAsync(s => s.SetProperty(o => o.CreatedAt, Local(2026, 9, 1))));
        foreach (var kind in new[] { ActivityKind.BranchCommittee, ActivityKind.GroupMeeting, ActivityKind.ThemeDay })
            await AddActivityAsync(_h.BranchA, kind, Local(2026, 11, 10, 14));
        var committeeChat = await AddGroupChatAsync(_h.Committee, Channel.WeCom);

        SetClock(Local(2026, 12, 7, 8));
        var report = await RunAsync(ScheduleKind.CadenceWeeklyNote);
        Assert.Equal(1, report.Enqueued);
        var row = Assert.Single(await CadenceRowsAsync());
        Assert.Equal(committeeChat, row.GroupChatId);
        Assert.Equal(DeliveryRoute.WeComRobot, row.Route);
        var text = GroupPush.FromJson(row.Payload).Text;
        Assert.Contains("乙支部", text);
        Assert.DoesNotContain("甲支部", text);
        Assert.Contains("主题党日（2026年11月）", text);

        SetClock(Local(2026, 12, 7, 20));
        Assert.Equal(0, (await RunAsync(ScheduleKind.CadenceWeeklyNote)).Enqueued);
        Assert.Single(await CadenceRowsAsync());

        var api = await _h.ApiKeyClient().GetFromJsonAsync<JsonElement>("/api/v1/cadence?overdueOnly=true");
        Assert.Equal(1, api.GetProperty("total").GetInt32());
        Assert.Equal(_h.BranchB.Id, api.GetProperty("items")[0].GetProperty("organisationId").GetInt32());
    }

    [Fact]
    public void Every_notification_template_renders_without_leftovers()
    {
        var templates = _h.Factory.Services.GetRequiredService<NotificationTemplates>();
        var model = new
        {
            branch = "甲支部", due_date = "11月30日", week = "12月7日这一周", console_url = "http://x/admin/cadence",
            meetings = new[] { new { name = "支委会", frequency = "每月", period = "2026年11月" } },
            branches = new[] { new { name = "乙支部", meetings = new[] { new { name = "主题党日", period = "2026年11月" } } } },
        };
        var files = Directory.GetFiles(templates.Folder, "cadence_*.liquid");
        Assert.Equal(4, files.Length);
        foreach (var file in files)
        {
            var parts = Path.GetFileNameWithoutExtension(file).Split('.');
            var (title, text) = templates.Render(parts[0], parts[1], model);
            Assert.False(string.IsNullOrWhiteSpace(title), file);
            Assert.False(string.IsNullOrWhiteSpace(text), file);
            Assert.DoesNotContain("{{", text);
            Assert.DoesNotContain("{%", text);
            Assert.Contains("支部", text);
        }
    }
}

/// <summary>Samples for the OpenAPI walk test.</summary>
public sealed class CadenceApiSamples : IApiSampleSet
{
    public IEnumerable<ApiSample> Samples() =>
    [
        new("GET", "/api/v1/cadence", 200, _ => Task.FromResult(new HttpRequestMessage(HttpMethod.Get, "/api/v1/cadence?page=1&pageSize=20"))),
        new("PUT", "/api/v1/cadence/{organisationId}/{kind}", 200, async context =>
        {
            await using var scope = context.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ChatBotDbContext>();
            var branchId = await db.Organisations.Where(o => o.Kind != OrganisationKind.Committee).OrderBy(o => o.Id).Select(o => o.Id).FirstAsync();
            return new HttpRequestMessage(HttpMethod.Put, $"/api/v1/cadence/{branchId}/GroupMeeting")
            {
                Content = JsonContent.Create(new { frequency = nameof(CadenceFrequency.Monthly) }),
            };
        }),
    ];
}
