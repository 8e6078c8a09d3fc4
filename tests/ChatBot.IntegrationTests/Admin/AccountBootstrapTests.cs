using System.Net;
using ChatBot.Core.Domain;
using ChatBot.Host.Admin;
using ChatBot.Host.Commands;
using ChatBot.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ChatBot.IntegrationTests.Admin;

/// <summary>The first accounts: <c>admin create</c> on the command line and <c>Admin:InitialUser</c> at first start.</summary>
public sealed class AccountBootstrapTests
{
    [Fact]
    public async Task AdminCreate_ReadsPasswordFromStdin_AndTheAccountCanSignIn()
    {
        await using var h = await ConsoleTestHost.StartAsync();
        var output = new StringWriter();
        var exit = await new AdminCreateCommand(h.Factory.Services, output, new StringReader("a-long-password-1\n"))
            .RunAsync(["wangli", "--role", "secretary", "--organisation", h.BranchB.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)], default);

        Assert.True(exit == 0, output.ToString());
        var user = await h.WithDbAsync(db => db.AdminUsers.SingleAsync(u => u.UserName == "wangli"));
        Assert.Equal(AdminRole.Secretary, user.Role);
        Assert.Equal(h.BranchB.Id, user.OrganisationId);
        Assert.DoesNotContain("a-long-password-1", user.PasswordHash);
        Assert.Equal(HttpStatusCode.Redirect, (await ConsoleTestHost.PostLoginAsync(h.Client(), "wangli", "a-long-password-1")).StatusCode);
        var audit = await h.WithDbAsync(db => db.AuditEntries.SingleAsync(a => a.Action == AuditActions.AccountCreate));
        Assert.Equal("cli", audit.Actor);
        Assert.Equal(h.BranchB.Path, audit.OrganisationPath);
        Assert.DoesNotContain("PasswordHash", audit.After);
    }

    [Theory]
    [InlineData("short-pw", new[] { "zhao" })]                                  // under 10 characters
    [InlineData("long-enough-password", new[] { "zhao", "--role", "secretary" })] // a secretary needs an organisation
    [InlineData("long-enough-password", new[] { "admin" })]                     // the name is taken
    [InlineData("long-enough-password", new[] { "zhao", "--role", "boss" })]    // unknown role
    [InlineData("", new[] { "zhao" })]                                          // no password at all
    public async Task AdminCreate_RefusesAndExits1(string password, string[] args)
    {
        await using var h = await ConsoleTestHost.StartAsync();
        var output = new StringWriter();
        var exit = await new AdminCreateCommand(h.Factory.Services, output, new StringReader(password + "\n")).RunAsync(args, default);
        Assert.Equal(1, exit);
        Assert.Equal(3, await h.WithDbAsync(db => db.AdminUsers.CountAsync()));
    }

    [Fact]
    public async Task HostCommands_RecognisesAdminCreate()
    {
        Assert.True(HostCommands.IsHostCommand(["admin", "create", "x"]));
        Assert.False(HostCommands.IsHostCommand(["--urls", "http://localhost:1"]));
        await Task.CompletedTask;
    }

    [Fact]
    public async Task InitialUser_CreatesTheFirstSuperAdmin_OnAnEmptyDatabaseOnly()
    {
        await using var factory = new ChatBotFactory()
            .WithSetting("Admin:InitialUser", "first")
            .WithSetting("Admin:InitialPassword", "first-admin-password");
        var client = factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var response = await ConsoleTestHost.PostLoginAsync(client, "first", "first-admin-password");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ChatBot.Host.Data.ChatBotDbContext>();
        var user = await db.AdminUsers.SingleAsync();
        Assert.Equal(AdminRole.Admin, user.Role);
        Assert.Equal("党委", (await db.Organisations.SingleAsync(o => o.Id == user.OrganisationId)).Name);
    }

    [Fact]
    public async Task InitialUser_IsIgnored_WhenAccountsExist()
    {
        await using var h = await ConsoleTestHost.StartAsync();
        // A restart of the same database with the initial user still in the environment.
        await using var restarted = new ChatBotFactory()
            .WithSetting("Database:ConnectionString", $"Data Source={h.Factory.SqliteFilePath}")
            .WithSetting("Admin:InitialUser", "latecomer")
            .WithSetting("Admin:InitialPassword", "latecomer-password");
        _ = restarted.Services;
        Assert.Equal(3, await h.WithDbAsync(db => db.AdminUsers.CountAsync()));
        Assert.False(await h.WithDbAsync(db => db.AdminUsers.AnyAsync(u => u.UserName == "latecomer")));
    }

    [Theory]
    [InlineData("Admin:InitialPassword", "first", "short")]
    [InlineData("Admin:InitialUser", "", "first-admin-password")]
    [InlineData("Proxy:KnownProxies:0", "not-an-ip", null)]
    public void InvalidOptions_StopTheHost_NamingTheKey(string expectedKey, string user, string? password)
    {
        using var factory = new ChatBotFactory();
        if (expectedKey.StartsWith("Proxy", StringComparison.Ordinal)) factory.WithSetting(expectedKey, user);
        else factory.WithSetting("Admin:InitialUser", user).WithSetting("Admin:InitialPassword", password);
        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());
        Assert.Contains(expectedKey, error.ToString());
    }
}
