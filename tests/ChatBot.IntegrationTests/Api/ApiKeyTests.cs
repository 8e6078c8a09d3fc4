using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ChatBot.Core.Domain;
using ChatBot.Host.Admin;
using ChatBot.Host.Commands;
using ChatBot.IntegrationTests.Admin;
using ChatBot.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ChatBot.IntegrationTests.Api;

public sealed class ApiKeyTests
{
    [Fact]
    public async Task KeysAreStoredHashed_WithAPrefix_AndLastUseIsRecorded()
    {
        await using var h = await ConsoleTestHost.StartAsync();
        var key = await TestApiKeys.CreateAsync(h.Factory.Services, AdminRole.Secretary, h.BranchA.Id, "sync");
        Assert.StartsWith(ApiKeyService.KeyPrefix, key);
        Assert.True(key.Length >= 4 + 43);
        var stored = await h.WithDbAsync(db => db.ApiKeys.SingleAsync(k => k.Name == "sync"));
        Assert.Equal(ApiKeyService.Hash(key), stored.KeyHash);
        Assert.DoesNotContain(key, stored.KeyHash);
        Assert.Equal(key[..ApiKeyService.DisplayPrefixLength], stored.Prefix);
        Assert.Null(stored.LastUsedAt);

        var client = h.Client();
        client.DefaultRequestHeaders.Add(AdminApiGuard.ApiKeyHeader, key); // the X-Api-Key alias
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/organisations/tree")).StatusCode);
        Assert.Equal(h.Clock.GetUtcNow().UtcDateTime, (await h.WithDbAsync(db => db.ApiKeys.SingleAsync(k => k.Name == "sync"))).LastUsedAt);
    }

    [Fact]
    public async Task BranchAKey_Gets404ForBranchBResources_AndSeesOnlyItsSubtree()
    {
        await using var h = await ConsoleTestHost.StartAsync();
        var memberB = await h.WithDbAsync(async db =>
        {
            var m = new Member { OrganisationId = h.BranchB.Id, Name = "乙支部党员", Status = MemberStatus.Full, CreatedAt = h.Clock.GetUtcNow().UtcDateTime };
            db.Members.Add(m);
            db.Members.Add(new Member { OrganisationId = h.BranchA.Id, Name = "甲支部党员", Phone = "13900000001", Status = MemberStatus.Full, CreatedAt = h.Clock.GetUtcNow().UtcDateTime });
            await db.SaveChangesAsync();
            return m;
        });
        var keyA = await TestApiKeys.CreateAsync(h.Factory.Services, AdminRole.Secretary, h.BranchA.Id, "branch-a");
        var a = h.Client();
        a.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", keyA);

        Assert.Equal(HttpStatusCode.NotFound, (await a.GetAsync($"/api/v1/members/{memberB.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await a.PutAsJsonAsync($"/api/v1/members/{memberB.Id}", new { name = "改", status = "Full" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await a.GetAsync($"/api/v1/organisations/{h.BranchB.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await a.PostAsJsonAsync("/api/v1/binding-codes", new { memberId = memberB.Id })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await a.PostAsJsonAsync("/api/v1/members", new { organisationId = h.BranchB.Id, name = "越权", status = "Full" })).StatusCode);

        var list = await a.GetFromJsonAsync<JsonElement>("/api/v1/members");
        Assert.Equal(1, list.GetProperty("total").GetInt32());
        var only = Assert.Single(list.GetProperty("items").EnumerateArray());
        Assert.Equal("甲支部党员", only.GetProperty("name").GetString());
        Assert.Equal("139****0001", only.GetProperty("phone").GetString()); // a secretary key sees masked phones
        var tree = await a.GetFromJsonAsync<JsonElement>("/api/v1/organisations/tree");
        Assert.Equal(h.BranchA.Id, Assert.Single(tree.EnumerateArray()).GetProperty("id").GetInt32());

        // The committee-wide key sees both and the full phone.
        var all = await h.ApiKeyClient().GetFromJsonAsync<JsonElement>("/api/v1/members");
        Assert.Equal(2, all.GetProperty("total").GetInt32());
    }

    [SkippableFact]
    public async Task RevokedKey_Is401AtOnce_OnASecondHostSharingRedis()
    {
        var redis = TestServices.RequireRedis();
        var prefix = "apikeytest-" + Guid.NewGuid().ToString("N")[..8] + ":";
        ChatBotFactory Make(string? database)
        {
            var f = new ChatBotFactory();
            if (database is not null) f.Settings["Database:ConnectionString"] = $"Data Source={database}";
            f.Settings["Redis:Configuration"] = redis;
            f.Settings["Redis:KeyPrefix"] = prefix;
            f.Settings["GroupChats:WorkerEnabled"] = "false";
            f.Settings["Delivery:WorkerEnabled"] = "false";
            f.Settings["Broadcasts:WorkerEnabled"] = "false";
            return f;
        }
        // Two instances on one database and one Redis.
        await using var one = Make(null);
        _ = one.Services;
        await using var two = Make(one.SqliteFilePath);
        _ = two.Services;
        var key = await TestApiKeys.CreateAsync(one.Services, name: "shared");
        using var c1 = one.CreateClient();
        using var c2 = two.CreateClient();
        c1.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        c2.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        // Both hosts have accepted (and cached) the key.
        Assert.Equal(HttpStatusCode.OK, (await c1.GetAsync("/api/v1/organisations/tree")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await c2.GetAsync("/api/v1/organisations/tree")).StatusCode);

        await using (var scope = one.Services.CreateAsyncScope())
        {
            var id = await scope.ServiceProvider.GetRequiredService<ChatBot.Host.Data.ChatBotDbContext>().ApiKeys.Where(k => k.Name == "shared").Select(k => k.Id).SingleAsync();
            var root = new OrganisationScope("admin", AdminRole.Admin, 0, OrganisationPath.Root);
            Assert.True((await scope.ServiceProvider.GetRequiredService<ApiKeyService>().RevokeAsync(root, id, CancellationToken.None)).Succeeded);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await c2.GetAsync("/api/v1/organisations/tree")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await c1.GetAsync("/api/v1/organisations/tree")).StatusCode);
    }

    [Fact]
    public async Task RevokedKey_Is401AtOnce_InProcess()
    {
        await using var h = await ConsoleTestHost.StartAsync();
        var client = h.ApiKeyClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/organisations/tree")).StatusCode);
        await using (var scope = h.Factory.Services.CreateAsyncScope())
        {
            var id = await h.WithDbAsync(db => db.ApiKeys.Select(k => k.Id).SingleAsync());
            var root = new OrganisationScope("admin", AdminRole.Admin, 0, OrganisationPath.Root);
            Assert.True((await scope.ServiceProvider.GetRequiredService<ApiKeyService>().RevokeAsync(root, id, CancellationToken.None)).Succeeded);
        }
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/organisations/tree")).StatusCode);
        Assert.Contains(await h.WithDbAsync(db => db.AuditEntries.Select(a => a.Action).ToListAsync()), a => a == ApiKeyService.AuditRevoke);
    }

    [Fact]
    public async Task ConsolePage_ShowsTheKeyOnce_SecretaryOnlyWithinSubtreeAndRole()
    {
        await using var h = await ConsoleTestHost.StartAsync();
        var secretary = await h.SignedInAsync("shuji-a");
        var token = await ConsoleTestHost.AntiforgeryTokenAsync(secretary, "/admin/api-keys");
        var created = await secretary.PostAsync("/admin/api-keys?handler=Create", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["NewName"] = "甲支部同步", ["NewRole"] = "Secretary", ["NewOrganisationId"] = h.BranchA.Id.ToString(), ["__RequestVerificationToken"] = token,
        }));
        var html = await created.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        var secret = System.Text.RegularExpressions.Regex.Match(html, "data-testid=\"apikey-secret\">([^<]+)<").Groups[1].Value;
        Assert.StartsWith(ApiKeyService.KeyPrefix, secret);
        // Listed afterwards by prefix only.
        var list = await secretary.GetStringAsync("/admin/api-keys");
        Assert.Contains("甲支部同步", list);
        Assert.DoesNotContain(secret, list);

        var outside = await secretary.PostAsync("/admin/api-keys?handler=Create", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["NewName"] = "越权", ["NewRole"] = "Secretary", ["NewOrganisationId"] = h.BranchB.Id.ToString(), ["__RequestVerificationToken"] = token,
        }));
        Assert.Equal(HttpStatusCode.BadRequest, outside.StatusCode);
        var admin = await secretary.PostAsync("/admin/api-keys?handler=Create", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["NewName"] = "越级", ["NewRole"] = "Admin", ["NewOrganisationId"] = h.BranchA.Id.ToString(), ["__RequestVerificationToken"] = token,
        }));
        Assert.Equal(HttpStatusCode.BadRequest, admin.StatusCode);
        Assert.Equal(1, await h.WithDbAsync(db => db.ApiKeys.CountAsync(k => k.CreatedBy == "shuji-a")));
        Assert.Contains(await h.WithDbAsync(db => db.AuditEntries.Where(a => a.Action == ApiKeyService.AuditCreate).Select(a => a.Actor).ToListAsync()), a => a == "shuji-a");

        // The new key works, scoped to branch A.
        var client = h.Client();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", secret);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/v1/organisations/{h.BranchB.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/v1/organisations/{h.BranchA.Id}")).StatusCode);
    }

    [Fact]
    public async Task Cli_PrintsOnlyTheKey()
    {
        await using var h = await ConsoleTestHost.StartAsync();
        // The command runs against the host's services (same database), writing the key alone to standard output.
        using var output = new StringWriter();
        using var errors = new StringWriter();
        var command = new ApiKeyCreateCommand(h.Factory.Services, output, errors);
        Assert.Equal(0, await command.RunAsync(["ci", "--role", "secretary", "--organisation", h.BranchA.Id.ToString()], CancellationToken.None));
        var printed = output.ToString().Trim();
        Assert.Single(output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith(ApiKeyService.KeyPrefix, printed);
        var stored = await h.WithDbAsync(db => db.ApiKeys.SingleAsync(k => k.Name == "ci"));
        Assert.Equal(AdminRole.Secretary, stored.Role);
        Assert.Equal(h.BranchA.Id, stored.OrganisationId);
        Assert.Equal("cli", stored.CreatedBy);
        Assert.Equal(1, await command.RunAsync(["bad", "--role", "owner"], CancellationToken.None));
    }
}
