using System.Net;
using ChatBot.Core.Domain;
using Microsoft.EntityFrameworkCore;

namespace ChatBot.IntegrationTests.Console;

/// <summary>
/// The ledger pages through the real pipeline (sign-in cookie, antiforgery): a secretary of branch A gets 404 for
/// branch B's member, organisation and group chat by id, and every page lists only A's subtree.
/// </summary>
public sealed class ConsolePageScopingTests : IAsyncLifetime
{
    private LedgerHost _h = null!;

    public async Task InitializeAsync() => _h = await LedgerHost.StartAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task SecretaryOfA_Gets404ForBranchBsRowsById()
    {
        var c = await _h.SignInAsync("shuji-a");
        Assert.Equal(HttpStatusCode.OK, (await c.GetAsync($"/admin/members/{_h.AMember.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await c.GetAsync($"/admin/members/{_h.BMember.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await c.GetAsync($"/admin/group-chats/{_h.AChat.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await c.GetAsync($"/admin/group-chats/{_h.BChat.Id}")).StatusCode);

        Assert.Equal(HttpStatusCode.NotFound, (await c.PostAsync($"/admin/members/{_h.BMember.Id}?handler=Save",
            new Dictionary<string, string> { ["Input.Name"] = "改名" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await c.PostAsync($"/admin/members/{_h.AMember.Id}?handler=Transfer",
            new Dictionary<string, string> { ["targetOrganisationId"] = _h.B.Id.ToString() })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await c.PostAsync("/admin/organisations?handler=Update",
            new Dictionary<string, string> { ["id"] = _h.B.Id.ToString(), ["name"] = "改名", ["kind"] = "AssociationBranch" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await c.PostAsync("/admin/organisations?handler=Move",
            new Dictionary<string, string> { ["id"] = _h.A1.Id.ToString(), ["newParentId"] = _h.B.Id.ToString() })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await c.PostAsync($"/admin/group-chats/{_h.BChat.Id}?handler=Test", new Dictionary<string, string>())).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await c.PostAsync($"/admin/binding-codes?handler=Issue&organisationId={_h.B.Id}",
            new Dictionary<string, string> { ["validDays"] = "7" })).StatusCode);

        Assert.Equal("刘芳", await _h.WithDbAsync(db => db.Members.Where(m => m.Id == _h.BMember.Id).Select(m => m.Name).SingleAsync()));
        Assert.Equal(_h.A.Id, await _h.WithDbAsync(db => db.Members.Where(m => m.Id == _h.AMember.Id).Select(m => m.OrganisationId).SingleAsync()));
        Assert.False(await _h.WithDbAsync(db => db.BindingCodes.AnyAsync()));
        Assert.False(await _h.WithDbAsync(db => db.Deliveries.AnyAsync()));
    }

    [Fact]
    public async Task SecretaryOfA_ListsOnlyTheirSubtree_WithMaskedPhones()
    {
        var c = await _h.SignInAsync("shuji-a");
        var members = await (await c.GetAsync("/admin/members")).Content.ReadAsStringAsync();
        Assert.Contains("王建国", members);
        Assert.Contains("张伟", members);
        Assert.DoesNotContain("刘芳", members);
        Assert.Contains("138****0001", members);
        Assert.DoesNotContain("13800000001", members);

        var organisations = await (await c.GetAsync("/admin/organisations")).Content.ReadAsStringAsync();
        Assert.Contains("东区联建党支部", organisations);
        Assert.DoesNotContain("西区协会分会党支部", organisations);
        var chats = await (await c.GetAsync("/admin/group-chats")).Content.ReadAsStringAsync();
        Assert.Contains("东区支部群", chats);
        Assert.DoesNotContain("西区支部群", chats);

        var export = await (await c.GetAsync("/admin/members/export")).Content.ReadAsStringAsync();
        Assert.Contains("王建国", export);
        Assert.DoesNotContain("刘芳", export);
        // Asking the export for B by id gives nothing of B.
        var exportB = await (await c.GetAsync($"/admin/members/export?organisationId={_h.B.Id}")).Content.ReadAsStringAsync();
        Assert.DoesNotContain("刘芳", exportB);
    }

    [Fact]
    public async Task Admin_EditsAndTransfersThroughThePages_WithAntiforgery()
    {
        var c = await _h.SignInAsync("admin");
        var transfer = await c.PostAsync($"/admin/members/{_h.AMember.Id}?handler=Transfer",
            new Dictionary<string, string> { ["targetOrganisationId"] = _h.B.Id.ToString(), ["note"] = "迁址" });
        Assert.Equal(HttpStatusCode.OK, transfer.StatusCode);
        Assert.Equal(_h.B.Id, await _h.WithDbAsync(db => db.Members.Where(m => m.Id == _h.AMember.Id).Select(m => m.OrganisationId).SingleAsync()));
        Assert.True(await _h.WithDbAsync(db => db.AuditEntries.AnyAsync(a => a.Action == "member.transfer" && a.Actor == "admin")));

        // The same form without the antiforgery token is refused and changes nothing.
        var forged = await c.Http.PostAsync($"/admin/members/{_h.AMember.Id}?handler=Transfer",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["targetOrganisationId"] = _h.A.Id.ToString() }));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(_h.B.Id, await _h.WithDbAsync(db => db.Members.Where(m => m.Id == _h.AMember.Id).Select(m => m.OrganisationId).SingleAsync()));

        var example = await c.GetAsync("/admin/members/import?handler=Example");
        Assert.Equal("text/csv", example.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("姓名,手机号,所在支部", (await example.Content.ReadAsStringAsync()).TrimStart('\uFEFF'));
    }

    [Fact]
    public async Task PrintSheet_ShowsNamesCodesAndInlineQrCodes()
    {
        var c = await _h.SignInAsync("shuji-a");
        var issue = await c.PostAsync($"/admin/binding-codes?handler=Issue&organisationId={_h.A.Id}",
            new Dictionary<string, string> { ["validDays"] = "14" }, tokenFrom: $"/admin/binding-codes?organisationId={_h.A.Id}");
        Assert.Equal(HttpStatusCode.OK, issue.StatusCode);
        var codes = await _h.WithDbAsync(db => db.BindingCodes.Include(b => b.Member).ToListAsync());
        Assert.Equal(3, codes.Count);

        var sheet = await (await c.GetAsync($"/admin/binding-codes/print?organisationId={_h.A.Id}")).Content.ReadAsStringAsync();
        foreach (var code in codes)
        {
            Assert.Contains(code.Member!.Name, sheet);
            Assert.Contains("绑定 " + code.Code, sheet);
        }
        Assert.Equal(3, System.Text.RegularExpressions.Regex.Matches(sheet, "<svg").Count);
        Assert.DoesNotContain("http", sheet.Split("<svg")[1].Split("</svg>")[0].Replace("http://www.w3.org", ""));
    }
}
