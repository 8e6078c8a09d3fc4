using System.Net;
using ChatBot.Core.Domain;
using ChatBot.Host.Admin;
using Microsoft.EntityFrameworkCore;

namespace ChatBot.IntegrationTests.Admin;

/// <summary>Cookie sign-in to /admin: password check, lockout, disabled users, sign-out, antiforgery, audit.</summary>
public sealed class ConsoleSignInTests : IAsyncLifetime
{
    private ConsoleTestHost _h = null!;

    public async Task InitializeAsync() => _h = await ConsoleTestHost.StartAsync();
    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task SignIn_WithRightPassword_OpensConsole_AndWrongPasswordShowsError()
    {
        var client = _h.Client();
        var anonymous = await client.GetAsync("/admin");
        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
        Assert.StartsWith("/admin/login", anonymous.Headers.Location!.OriginalString.Replace("http://localhost", ""));

        var wrong = await ConsoleTestHost.PostLoginAsync(client, "admin", "not-the-password");
        Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        Assert.Contains("登录失败", await wrong.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/admin")).StatusCode);

        var right = await ConsoleTestHost.PostLoginAsync(client, "admin", ConsoleTestHost.Password);
        Assert.Equal(HttpStatusCode.Redirect, right.StatusCode);
        Assert.Equal("/admin", right.Headers.Location!.OriginalString);
        var dashboard = await client.GetAsync("/admin");
        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
        Assert.Contains("超级管理员", await dashboard.Content.ReadAsStringAsync());

        var user = await _h.WithDbAsync(db => db.AdminUsers.SingleAsync(u => u.UserName == "admin"));
        Assert.Equal(_h.Clock.GetUtcNow().UtcDateTime, user.LastSignInAt);
        Assert.Equal(0, user.FailedSignIns);
        var actions = await _h.WithDbAsync(db => db.AuditEntries.Where(a => a.Actor == "admin").OrderBy(a => a.Id).Select(a => a.Action).ToListAsync());
        Assert.Equal([AuditActions.SignInFailed, AuditActions.SignIn], actions);
    }

    [Fact]
    public async Task UnknownUser_GetsTheSameAnswerAsWrongPassword()
    {
        var client = _h.Client();
        var unknown = await (await ConsoleTestHost.PostLoginAsync(client, "nobody", "whatever-password")).Content.ReadAsStringAsync();
        var wrong = await (await ConsoleTestHost.PostLoginAsync(client, "admin", "whatever-password")).Content.ReadAsStringAsync();
        Assert.Contains(AdminSignIn.FailedMessage, unknown);
        Assert.Contains(AdminSignIn.FailedMessage, wrong);
    }

    [Fact]
    public async Task FiveWrongPasswords_LockTheAccountFor15Minutes()
    {
        var client = _h.Client();
        for (var i = 0; i < AdminUser.MaxFailedSignIns; i++)
            Assert.Equal(HttpStatusCode.OK, (await ConsoleTestHost.PostLoginAsync(client, "shuji-a", "wrong-password-" + i)).StatusCode);

        // Locked: even the right password is refused, with the same message.
        var locked = await ConsoleTestHost.PostLoginAsync(client, "shuji-a", ConsoleTestHost.Password);
        Assert.Equal(HttpStatusCode.OK, locked.StatusCode);
        Assert.Contains(AdminSignIn.FailedMessage, await locked.Content.ReadAsStringAsync());
        var user = await _h.WithDbAsync(db => db.AdminUsers.SingleAsync(u => u.UserName == "shuji-a"));
        Assert.Equal(_h.Clock.GetUtcNow().UtcDateTime.AddMinutes(15), user.LockedUntil);
        Assert.True(await _h.WithDbAsync(db => db.AuditEntries.AnyAsync(a => a.Action == AuditActions.SignInLockout && a.Actor == "shuji-a")));

        _h.Clock.Advance(TimeSpan.FromMinutes(14));
        Assert.Equal(HttpStatusCode.OK, (await ConsoleTestHost.PostLoginAsync(client, "shuji-a", ConsoleTestHost.Password)).StatusCode);

        _h.Clock.Advance(TimeSpan.FromMinutes(1));
        var after = await ConsoleTestHost.PostLoginAsync(client, "shuji-a", ConsoleTestHost.Password);
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/admin")).StatusCode);
    }

    [Fact]
    public async Task DisabledUser_CannotSignIn_AndIsSignedOutOnTheNextRequest()
    {
        var secretary = await _h.SignedInAsync("shuji-a");
        Assert.Equal(HttpStatusCode.OK, (await secretary.GetAsync("/admin")).StatusCode);

        var admin = await _h.SignedInAsync("admin");
        var id = await _h.WithDbAsync(db => db.AdminUsers.Where(u => u.UserName == "shuji-a").Select(u => u.Id).SingleAsync());
        var token = await ConsoleTestHost.AntiforgeryTokenAsync(admin, "/admin/accounts");
        var disable = await admin.PostAsync($"/admin/accounts?handler=Disable&id={id}",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));
        Assert.Equal(HttpStatusCode.Redirect, disable.StatusCode);

        Assert.Equal(HttpStatusCode.Redirect, (await secretary.GetAsync("/admin")).StatusCode); // the old cookie is refused
        var again = await ConsoleTestHost.PostLoginAsync(_h.Client(), "shuji-a", ConsoleTestHost.Password);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Contains(AdminSignIn.FailedMessage, await again.Content.ReadAsStringAsync());
        var audit = await _h.WithDbAsync(db => db.AuditEntries.SingleAsync(a => a.Action == AuditActions.AccountDisable));
        Assert.Equal("admin", audit.Actor);
        Assert.Contains("\"Disabled\":false", audit.Before);
        Assert.Contains("\"Disabled\":true", audit.After);
        Assert.Equal(_h.BranchA.Path, audit.OrganisationPath);
    }

    [Fact]
    public async Task SignOut_EndsTheSession()
    {
        var client = await _h.SignedInAsync("admin");
        var token = await ConsoleTestHost.AntiforgeryTokenAsync(client, "/admin");
        var logout = await client.PostAsync("/admin/logout", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));
        Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/admin")).StatusCode);
        Assert.True(await _h.WithDbAsync(db => db.AuditEntries.AnyAsync(a => a.Action == AuditActions.SignOut && a.Actor == "admin")));
    }

    [Fact]
    public async Task LoginAndLogout_WithoutAntiforgeryToken_Answer400()
    {
        var client = _h.Client();
        var login = await client.PostAsync("/admin/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["UserName"] = "admin", ["Password"] = ConsoleTestHost.Password,
        }));
        Assert.Equal(HttpStatusCode.BadRequest, login.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/admin")).StatusCode); // not signed in

        var signedIn = await _h.SignedInAsync("admin");
        var logout = await signedIn.PostAsync("/admin/logout", new FormUrlEncodedContent(new Dictionary<string, string>()));
        Assert.Equal(HttpStatusCode.BadRequest, logout.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await signedIn.GetAsync("/admin")).StatusCode); // still signed in
    }

    [Fact]
    public async Task ReturnUrl_OnlyLeadsBackIntoTheConsole()
    {
        var client = _h.Client();
        var offsite = await ConsoleTestHost.PostLoginAsync(client, "admin", ConsoleTestHost.Password, "https://evil.example/admin");
        Assert.Equal("/admin", offsite.Headers.Location!.OriginalString);
        var inside = await ConsoleTestHost.PostLoginAsync(_h.Client(), "admin", ConsoleTestHost.Password, "/admin/audit");
        Assert.Equal("/admin/audit", inside.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task EveryResponse_CarriesSecurityHeaders()
    {
        foreach (var path in new[] { "/admin/login", "/healthz", "/api/v1/bindings/pending" })
        {
            var response = await _h.Client().GetAsync(path);
            var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
            Assert.Contains("; script-src 'self';", csp); // nothing else may run: no inline, no eval, no other host
            Assert.Contains("frame-ancestors 'none'", csp);
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        }
    }
}
