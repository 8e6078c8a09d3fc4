using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ChatBot.Core.Domain;
using ChatBot.Host.Admin;
using Microsoft.EntityFrameworkCore;

namespace ChatBot.IntegrationTests.Admin;

/// <summary>
/// A secretary of branch A, signed in with her cookie, can neither read nor change anything of branch B through the
/// existing APIs, whatever organisationId or id she sends; the API key (超级管理员 scope) sees both.
/// </summary>
public class SecretaryScopeTests : IAsyncLifetime
{
    private ConsoleTestHost? _host;
    private int _pendingA, _pendingB, _chatA, _chatB;

    protected virtual bool Postgres => false;

    private ConsoleTestHost _h => _host!;

    public Task InitializeAsync() => Task.CompletedTask;

    /// <summary>Called first in each test, so the PostgreSQL variant can skip when no server is configured.</summary>
    private async Task StartAsync()
    {
        _host = await ConsoleTestHost.StartAsync(postgres: Postgres);
        (_pendingA, _pendingB) = await _h.WithDbAsync(async db =>
        {
            var now = _h.Clock.GetUtcNow().UtcDateTime;
            var memberA = new Member { Name = "甲党员", OrganisationId = _h.BranchA.Id, Phone = "13800000001", CreatedAt = now };
            var memberB = new Member { Name = "乙党员", OrganisationId = _h.BranchB.Id, Phone = "13800000002", CreatedAt = now };
            db.Members.AddRange(memberA, memberB);
            var a = new ChannelIdentity { Channel = Channel.WeChat, ExternalId = "wx-a", Member = memberA, State = BindingState.Pending, CreatedAt = now };
            var b = new ChannelIdentity { Channel = Channel.WeChat, ExternalId = "wx-b", Member = memberB, State = BindingState.Pending, CreatedAt = now };
            db.ChannelIdentities.AddRange(a, b);
            await db.SaveChangesAsync();
            return (a.Id, b.Id);
        });
        var api = _h.ApiKeyClient();
        _chatA = await CreateChatAsync(api, _h.BranchA.Id, "甲支部群");
        _chatB = await CreateChatAsync(api, _h.BranchB.Id, "乙支部群");
    }

    public async Task DisposeAsync()
    {
        if (_host is not null) await _host.DisposeAsync();
    }

    [SkippableFact]
    public async Task Bindings_SecretarySeesAndChangesOnlyHerBranch()
    {
        await StartAsync();
        var a = await _h.SignedInAsync("shuji-a");

        var mine = await a.GetFromJsonAsync<JsonElement>("/api/v1/bindings/pending");
        Assert.Equal([_pendingA], mine.EnumerateArray().Select(e => e.GetProperty("identityId").GetInt32()));
        var widened = await a.GetFromJsonAsync<JsonElement>($"/api/v1/bindings/pending?organisationId={_h.BranchB.Id}");
        Assert.Empty(widened.EnumerateArray());
        var committee = await a.GetFromJsonAsync<JsonElement>($"/api/v1/bindings/pending?organisationId={_h.Committee.Id}");
        Assert.Empty(committee.EnumerateArray());

        Assert.Equal(HttpStatusCode.NotFound, (await a.PostAsync($"/api/v1/bindings/{_pendingB}/confirm", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await a.PostAsync($"/api/v1/bindings/{_pendingB}/reject", null)).StatusCode);
        Assert.Equal(BindingState.Pending, await _h.WithDbAsync(db => db.ChannelIdentities.Where(i => i.Id == _pendingB).Select(i => i.State).SingleAsync()));

        Assert.Equal(HttpStatusCode.NoContent, (await a.PostAsync($"/api/v1/bindings/{_pendingA}/confirm", null)).StatusCode);
        var audit = await _h.WithDbAsync(db => db.AuditEntries.SingleAsync(e => e.Action == AuditActions.BindingConfirm));
        Assert.Equal("shuji-a", audit.Actor);
        Assert.Equal(_pendingA.ToString(System.Globalization.CultureInfo.InvariantCulture), audit.EntityId);
        Assert.Equal(_h.BranchA.Path, audit.OrganisationPath);
        Assert.Contains("\"State\":\"Pending\"", audit.Before);
        Assert.Contains("\"State\":\"Bound\"", audit.After);

        var all = await _h.ApiKeyClient().GetFromJsonAsync<JsonElement>("/api/v1/bindings/pending");
        Assert.Equal([_pendingB], all.EnumerateArray().Select(e => e.GetProperty("identityId").GetInt32()));
    }

    [SkippableFact]
    public async Task GroupChats_SecretarySeesAndChangesOnlyHerBranch()
    {
        await StartAsync();
        var a = await _h.SignedInAsync("shuji-a");

        var listed = await a.GetFromJsonAsync<JsonElement>("/api/v1/group-chats");
        Assert.Equal([_chatA], listed.EnumerateArray().Select(e => e.GetProperty("id").GetInt32()));
        Assert.Empty((await a.GetFromJsonAsync<JsonElement>($"/api/v1/group-chats?organisationId={_h.BranchB.Id}")).EnumerateArray());

        Assert.Equal(HttpStatusCode.NotFound, (await a.GetAsync($"/api/v1/group-chats/{_chatB}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await a.GetAsync($"/api/v1/group-chats/{_chatA}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await a.PutAsJsonAsync($"/api/v1/group-chats/{_chatB}", new { name = "改名" })).StatusCode);
        var push = new { idempotencyKey = "x", push = new { kind = "Text", text = "hi" } };
        Assert.Equal(HttpStatusCode.NotFound, (await a.PostAsJsonAsync($"/api/v1/group-chats/{_chatB}/pushes", push)).StatusCode);
        var create = await a.PostAsJsonAsync("/api/v1/group-chats", new
        {
            organisationId = _h.BranchB.Id, channel = "WeCom", name = "冒名群", webhookUrl = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc",
        });
        Assert.Equal(HttpStatusCode.BadRequest, create.StatusCode);
        Assert.Contains("organisationId", await create.Content.ReadAsStringAsync());

        Assert.Equal("乙支部群", await _h.WithDbAsync(db => db.GroupChats.Where(g => g.Id == _chatB).Select(g => g.Name).SingleAsync()));
        Assert.Equal(0, await _h.WithDbAsync(db => db.Deliveries.CountAsync(d => d.GroupChatId == _chatB)));
        Assert.Equal(2, await _h.WithDbAsync(db => db.GroupChats.CountAsync()));
    }

    [SkippableFact]
    public async Task AuditPage_SecretaryReadsOnlyHerSubtree()
    {
        await StartAsync();
        await _h.SignedInAsync("shuji-b"); // a sign-in entry in branch B
        var a = await _h.SignedInAsync("shuji-a");
        var page = await (await a.GetAsync("/admin/audit")).Content.ReadAsStringAsync();
        Assert.Contains("shuji-a", page);
        Assert.DoesNotContain("shuji-b", page);

        var admin = await _h.SignedInAsync("admin");
        var all = await (await admin.GetAsync("/admin/audit?Action=signin")).Content.ReadAsStringAsync();
        Assert.Contains("shuji-a", all);
        Assert.Contains("shuji-b", all);
        var filtered = await (await admin.GetAsync("/admin/audit?Actor=shuji-b")).Content.ReadAsStringAsync();
        Assert.DoesNotContain(">shuji-a<", filtered);
        Assert.Contains(">shuji-b<", filtered);
    }

    private static async Task<int> CreateChatAsync(HttpClient api, int organisationId, string name)
    {
        var response = await api.PostAsJsonAsync("/api/v1/group-chats", new
        {
            organisationId, channel = "WeCom", name, webhookUrl = $"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key={Guid.NewGuid():N}",
        });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
    }
}

/// <summary>The same scoping on PostgreSQL (prefix queries, the audit path index), skipped without <c>CHATBOT_TEST_POSTGRES</c>.</summary>
public sealed class PostgresSecretaryScopeTests : SecretaryScopeTests
{
    protected override bool Postgres => true;
}
