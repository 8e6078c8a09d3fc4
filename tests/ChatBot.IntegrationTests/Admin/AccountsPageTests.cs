using System.Net;
using ChatBot.Core.Domain;
using ChatBot.Host.Admin;
using Microsoft.EntityFrameworkCore;

namespace ChatBot.IntegrationTests.Admin;

/// <summary>账号 page: a 超级管理员 creates a secretary, resets a password; every change is audited; bad input is refused.</summary>
public sealed class AccountsPageTests : IAsyncLifetime
{
    private ConsoleTestHost _h = null!;

    public async Task InitializeAsync() => _h = await ConsoleTestHost.StartAsync();
    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task Create_ThenResetPassword_SignsInWithTheNewOne_AndIsAudited()
    {
        var admin = await _h.SignedInAsync("admin");
        var created = await PostAsync(admin, "Create", null, new()
        {
            ["NewUserName"] = "liqiang", ["NewDisplayName"] = "李强", ["NewRole"] = "Secretary",
            ["NewOrganisationId"] = _h.BranchB.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), ["NewPassword"] = "first-password-1",
        });
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var user = await _h.WithDbAsync(db => db.AdminUsers.SingleAsync(u => u.UserName == "liqiang"));
        Assert.Equal(AdminRole.Secretary, user.Role);
        Assert.Equal(_h.BranchB.Id, user.OrganisationId);

        var session = await _h.SignedInAsync("shuji-b");
        var liqiang = _h.Client();
        Assert.Equal(HttpStatusCode.Redirect, (await ConsoleTestHost.PostLoginAsync(liqiang, "liqiang", "first-password-1")).StatusCode);

        var reset = await PostAsync(admin, "ResetPassword", user.Id, new() { ["ResetPassword"] = "second-password-2" });
        Assert.Equal(HttpStatusCode.Redirect, reset.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await liqiang.GetAsync("/admin")).StatusCode); // old session ended
        Assert.Equal(HttpStatusCode.OK, (await ConsoleTestHost.PostLoginAsync(_h.Client(), "liqiang", "first-password-1")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await ConsoleTestHost.PostLoginAsync(_h.Client(), "liqiang", "second-password-2")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await session.GetAsync("/admin")).StatusCode); // other users unaffected

        var entries = await _h.WithDbAsync(db => db.AuditEntries.Where(a => a.EntityType == nameof(AdminUser) && a.EntityId == user.Id.ToString())
            .OrderBy(a => a.Id).ToListAsync());
        var create = entries.Single(a => a.Action == AuditActions.AccountCreate);
        Assert.Equal("admin", create.Actor);
        Assert.Equal(_h.BranchB.Path, create.OrganisationPath);
        Assert.Contains("李强", create.After);
        var resetEntry = entries.Single(a => a.Action == AuditActions.AccountPasswordReset);
        Assert.DoesNotContain("second-password-2", resetEntry.After + resetEntry.Before + resetEntry.Detail);
    }

    [Fact]
    public async Task ShortPassword_AndDuplicateName_AreRefusedWithAMessage()
    {
        var admin = await _h.SignedInAsync("admin");
        var shortPassword = await PostAsync(admin, "Create", null, new()
        {
            ["NewUserName"] = "zhou", ["NewRole"] = "Admin", ["NewPassword"] = "short",
        });
        Assert.Equal(HttpStatusCode.BadRequest, shortPassword.StatusCode);
        Assert.Contains("密码至少 10 个字符", await shortPassword.Content.ReadAsStringAsync());
        var duplicate = await PostAsync(admin, "Create", null, new()
        {
            ["NewUserName"] = "shuji-a", ["NewRole"] = "Admin", ["NewPassword"] = "long-enough-password",
        });
        Assert.Equal(HttpStatusCode.BadRequest, duplicate.StatusCode);
        Assert.Equal(3, await _h.WithDbAsync(db => db.AdminUsers.CountAsync()));
    }

    [Fact]
    public async Task Secretary_CannotPostToTheAccountsPage()
    {
        var secretary = await _h.SignedInAsync("shuji-a");
        var token = await ConsoleTestHost.AntiforgeryTokenAsync(secretary, "/admin");
        var response = await secretary.PostAsync("/admin/accounts?handler=Create", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["NewUserName"] = "sneaky", ["NewRole"] = "Admin", ["NewPassword"] = "long-enough-password",
        }));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.False(await _h.WithDbAsync(db => db.AdminUsers.AnyAsync(u => u.UserName == "sneaky")));
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string handler, int? id, Dictionary<string, string> form)
    {
        form["__RequestVerificationToken"] = await ConsoleTestHost.AntiforgeryTokenAsync(client, "/admin/accounts");
        return await client.PostAsync($"/admin/accounts?handler={handler}" + (id is null ? "" : $"&id={id}"), new FormUrlEncodedContent(form));
    }
}
