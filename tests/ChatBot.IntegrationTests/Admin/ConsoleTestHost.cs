using System.Net;
using System.Text.RegularExpressions;
using ChatBot.Core.Domain;
using ChatBot.Host.Admin;
using ChatBot.Host.Data;
using ChatBot.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ChatBot.IntegrationTests.Admin;

/// <summary>
/// The real host on its own SQLite file with a pinned clock and two branches: a committee, branch A and branch B,
/// a 超级管理员 <c>admin</c> and secretaries <c>shuji-a</c> / <c>shuji-b</c>, each with <see cref="Password"/>.
/// </summary>
public sealed partial class ConsoleTestHost : IAsyncDisposable
{
    public const string Password = "correct-horse-42";
    /// <summary>A 超级管理员 API key (committee), created at start.</summary>
    public string ApiKey { get; private set; } = "";

    private ConsoleTestHost(ChatBotFactory factory) => Factory = factory;

    public ChatBotFactory Factory { get; }
    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 23, 2, 0, 0, TimeSpan.Zero));
    public Organisation Committee { get; private set; } = null!;
    public Organisation BranchA { get; private set; } = null!;
    public Organisation BranchB { get; private set; } = null!;

    public static async Task<ConsoleTestHost> StartAsync(Action<ChatBotFactory>? configure = null, bool realServer = false, bool postgres = false)
    {
        var factory = new ChatBotFactory();
        if (postgres) await factory.UsePostgresAsync();
        var host = new ConsoleTestHost(factory);
        factory.TimeProvider = host.Clock;
        factory.WithSetting("GroupChats:KeysDirectory", Path.Combine(Path.GetDirectoryName(factory.SqliteFilePath)!, "keys")).WithSetting("WeChat:Token", "").WithSetting("GroupChats:WorkerEnabled", "false");
        configure?.Invoke(factory);
        if (realServer)
        {
            factory.UseKestrel(0);
            factory.StartServer();
        }
        _ = factory.Services;
        await host.SeedAsync();
        host.ApiKey = await TestApiKeys.CreateAsync(factory.Services, organisationId: host.Committee.Id, name: "console-test");
        return host;
    }

    public Uri ServerAddress => new(Factory.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
        .Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()!.Addresses.First());

    private async Task SeedAsync()
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ChatBotDbContext>();
        var now = Clock.GetUtcNow().UtcDateTime;
        Committee = new Organisation { Name = "测试党委", Kind = OrganisationKind.Committee, CreatedAt = now };
        db.Organisations.Add(Committee);
        await db.SaveChangesAsync();
        Committee.Path = OrganisationPath.Root.Child(Committee.Id).Value;
        BranchA = new Organisation { Name = "甲支部", Kind = OrganisationKind.MarketBranch, Parent = Committee, CreatedAt = now };
        BranchB = new Organisation { Name = "乙支部", Kind = OrganisationKind.MarketBranch, Parent = Committee, CreatedAt = now };
        db.Organisations.AddRange(BranchA, BranchB);
        await db.SaveChangesAsync();
        BranchA.Path = Committee.TreePath.Child(BranchA.Id).Value;
        BranchB.Path = Committee.TreePath.Child(BranchB.Id).Value;
        db.AdminUsers.AddRange(User("admin", AdminRole.Admin, Committee), User("shuji-a", AdminRole.Secretary, BranchA), User("shuji-b", AdminRole.Secretary, BranchB));
        await db.SaveChangesAsync();
    }

    private AdminUser User(string name, AdminRole role, Organisation organisation)
    {
        var user = new AdminUser
        {
            UserName = name, PasswordHash = "", DisplayName = name, Role = role, OrganisationId = organisation.Id,
            CreatedAt = Clock.GetUtcNow().UtcDateTime, SecurityStamp = Guid.NewGuid().ToString("N"),
        };
        user.PasswordHash = new PasswordHasher<AdminUser>().HashPassword(user, Password);
        return user;
    }

    /// <summary>A client that keeps cookies and does not follow redirects (tests look at them).</summary>
    public HttpClient Client() => Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    public HttpClient ApiKeyClient()
    {
        var client = Client();
        client.DefaultRequestHeaders.Add(AdminApiGuard.ApiKeyHeader, ApiKey);
        return client;
    }

    /// <summary>A client signed in as <paramref name="userName"/> through the real form; fails the test if sign-in fails.</summary>
    public async Task<HttpClient> SignedInAsync(string userName)
    {
        var client = Client();
        var response = await PostLoginAsync(client, userName, Password);
        if (response.StatusCode != HttpStatusCode.Redirect)
            throw new InvalidOperationException($"sign-in as {userName} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return client;
    }

    public static async Task<HttpResponseMessage> PostLoginAsync(HttpClient client, string userName, string password, string? returnUrl = null)
    {
        var token = await AntiforgeryTokenAsync(client, "/admin/login");
        return await client.PostAsync("/admin/login" + (returnUrl is null ? "" : "?returnUrl=" + Uri.EscapeDataString(returnUrl)), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["UserName"] = userName, ["Password"] = password, ["__RequestVerificationToken"] = token,
        }));
    }

    public static async Task<string> AntiforgeryTokenAsync(HttpClient client, string page)
    {
        var html = await client.GetStringAsync(page);
        return TokenPattern().Match(html) is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value)
            : throw new InvalidOperationException($"no antiforgery token on {page}");
    }

    public async Task<T> WithDbAsync<T>(Func<ChatBotDbContext, Task<T>> work)
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<ChatBotDbContext>());
    }

    public async ValueTask DisposeAsync() => await Factory.DisposeAsync();

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
