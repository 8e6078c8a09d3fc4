using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ChatBot.Core.Domain;
using Microsoft.EntityFrameworkCore;

namespace ChatBot.IntegrationTests.Api;

public sealed class IdempotencyTests : IAsyncLifetime
{
    private ApiTestHost _h = null!;

    public async Task InitializeAsync() => _h = await ApiTestHost.StartAsync();
    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task SameKeySameBody_ReplaysTheFirstAnswer_WithoutRunningAgain()
    {
        var member = await _h.WithDbAsync(db => db.Members.FirstAsync(m => !m.Archived));
        var before = await _h.WithDbAsync(db => db.BindingCodes.CountAsync(c => c.MemberId == member.Id));
        var client = _h.Admin();
        client.DefaultRequestHeaders.Add("Idempotency-Key", "codes-1");
        var first = await client.PostAsJsonAsync("/api/v1/binding-codes", new { memberId = member.Id, validDays = 5 });
        var second = await client.PostAsJsonAsync("/api/v1/binding-codes", new { memberId = member.Id, validDays = 5 });
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
        Assert.True(second.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(before + 1, await _h.WithDbAsync(db => db.BindingCodes.CountAsync(c => c.MemberId == member.Id)));

        // Another caller's same key is another request.
        var other = _h.WithKey(await ChatBot.IntegrationTests.Infrastructure.TestApiKeys.CreateAsync(_h.Services, name: "other"));
        other.DefaultRequestHeaders.Add("Idempotency-Key", "codes-1");
        Assert.Equal(HttpStatusCode.Created, (await other.PostAsJsonAsync("/api/v1/binding-codes", new { memberId = member.Id, validDays = 5 })).StatusCode);
        Assert.Equal(before + 2, await _h.WithDbAsync(db => db.BindingCodes.CountAsync(c => c.MemberId == member.Id)));
    }

    [Fact]
    public async Task SameKeyOtherBody_Is422_AndExpiredKeysAreFree()
    {
        var member = await _h.WithDbAsync(db => db.Members.FirstAsync(m => !m.Archived));
        var client = _h.Admin();
        client.DefaultRequestHeaders.Add("Idempotency-Key", "codes-2");
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/api/v1/binding-codes", new { memberId = member.Id, validDays = 5 })).StatusCode);
        var conflict = await client.PostAsJsonAsync("/api/v1/binding-codes", new { memberId = member.Id, validDays = 6 });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, conflict.StatusCode);
        Assert.Equal("application/problem+json", conflict.Content.Headers.ContentType?.MediaType);

        _h.Clock.Advance(ChatBot.Host.Api.Idempotency.Lifetime + TimeSpan.FromMinutes(1));
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/api/v1/binding-codes", new { memberId = member.Id, validDays = 6 })).StatusCode);
    }

    [Fact]
    public async Task GroupPush_HeaderKey_IsThePerChatKey_AndReplays()
    {
        var chat = await CoreApiSamples.GroupChatAsync(new ApiSampleContext(_h.Services));
        var client = _h.Admin();
        client.DefaultRequestHeaders.Add("Idempotency-Key", "push-1");
        var body = new { push = new { kind = "Text", text = "通知" } };
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsJsonAsync($"/api/v1/group-chats/{chat}/pushes", body)).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsJsonAsync($"/api/v1/group-chats/{chat}/pushes", body)).StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await client.PostAsJsonAsync($"/api/v1/group-chats/{chat}/pushes", new { push = new { kind = "Text", text = "另一条" } })).StatusCode);
        Assert.Equal(1, await _h.WithDbAsync(db => db.Deliveries.CountAsync(d => d.GroupChatId == chat)));
        Assert.Equal(1, await _h.WithDbAsync(db => db.Deliveries.CountAsync(d => d.IdempotencyKey == $"api:{chat}:push-1")));
    }

    [Fact]
    public async Task MemberImport_RunsInTheBackground_AndReportsRowErrors()
    {
        var branch = await _h.WithDbAsync(db => db.Organisations.FirstAsync(o => o.Kind != OrganisationKind.Committee));
        var client = _h.Admin();
        using var good = new StringContent($"姓名,手机号,所在支部\n新党员甲,13912345601,{branch.Name}\n新党员乙,,{branch.Name}\n", Encoding.UTF8, "text/csv");
        var accepted = await client.PostAsync("/api/v1/member-imports", good);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var status = await PollAsync(client, accepted.Headers.Location!.OriginalString);
        Assert.Equal("Succeeded", status.GetProperty("state").GetString());
        Assert.Equal(2, status.GetProperty("created").GetInt32());

        using var bad = new StringContent($"姓名,手机号,所在支部\n,13912345602,{branch.Name}\n坏号码,123,{branch.Name}\n", Encoding.UTF8, "text/csv");
        var rejected = await PollAsync(client, (await client.PostAsync("/api/v1/member-imports", bad)).Headers.Location!.OriginalString);
        Assert.Equal("Failed", rejected.GetProperty("state").GetString());
        var problems = rejected.GetProperty("problems").EnumerateArray().ToList();
        Assert.Contains(problems, p => p.GetProperty("row").GetInt32() == 2 && p.GetProperty("reason").GetString()!.Contains("姓名"));
        Assert.Contains(problems, p => p.GetProperty("row").GetInt32() == 3 && p.GetProperty("reason").GetString()!.Contains("手机号"));
        Assert.Equal(0, await _h.WithDbAsync(db => db.Members.CountAsync(m => m.Name == "坏号码")));
    }

    private static async Task<JsonElement> PollAsync(HttpClient client, string url)
    {
        // The job runs on Hangfire's worker: poll its status URL (bounded; no timing asserted).
        for (var i = 0; i < 300; i++)
        {
            var status = await client.GetFromJsonAsync<JsonElement>(url);
            if (status.GetProperty("state").GetString() is "Succeeded" or "Failed") return status;
            await Task.Delay(100);
        }
        throw new TimeoutException("import job did not finish");
    }
}

public sealed class PagingTests
{
    [Fact]
    public async Task Members_PageOverMoreThan1000_WithTotal_AndMax200()
    {
        await using var h = await ApiTestHost.StartAsync(demo: false);
        await h.WithDbAsync(async db =>
        {
            var committee = new Organisation { Name = "党委", Kind = OrganisationKind.Committee, CreatedAt = DateTime.UtcNow };
            db.Organisations.Add(committee);
            await db.SaveChangesAsync();
            committee.Path = OrganisationPath.Root.Child(committee.Id).Value;
            var branch = new Organisation { Name = "大支部", Kind = OrganisationKind.MarketBranch, Parent = committee, CreatedAt = DateTime.UtcNow };
            db.Organisations.Add(branch);
            await db.SaveChangesAsync();
            branch.Path = committee.TreePath.Child(branch.Id).Value;
            for (var i = 0; i < 1050; i++)
                db.Members.Add(new Member { OrganisationId = branch.Id, Name = $"党员{i:D4}", Status = MemberStatus.Full, CreatedAt = DateTime.UtcNow });
            return await db.SaveChangesAsync();
        });
        var client = h.Admin();
        var seen = new HashSet<int>();
        for (var page = 1; page <= 6; page++)
        {
            var body = await client.GetFromJsonAsync<JsonElement>($"/api/v1/members?page={page}&pageSize=200");
            Assert.Equal(1050, body.GetProperty("total").GetInt32());
            var items = body.GetProperty("items").EnumerateArray().ToList();
            Assert.Equal(page < 6 ? 200 : 50, items.Count);
            foreach (var item in items) Assert.True(seen.Add(item.GetProperty("id").GetInt32()));
        }
        Assert.Equal(1050, seen.Count);
        Assert.Empty((await client.GetFromJsonAsync<JsonElement>("/api/v1/members?page=7&pageSize=200")).GetProperty("items").EnumerateArray());
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/api/v1/members?pageSize=201")).StatusCode);
        var filtered = await client.GetFromJsonAsync<JsonElement>("/api/v1/members?search=党员104");
        Assert.Equal(10, filtered.GetProperty("total").GetInt32());
    }
}
