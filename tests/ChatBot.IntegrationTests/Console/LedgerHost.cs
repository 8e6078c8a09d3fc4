using ChatBot.Core.Domain;
using ChatBot.Host.Admin;
using ChatBot.Host.Data;
using ChatBot.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ChatBot.IntegrationTests.Console;

/// <summary>
/// The real host on its own SQLite file with a small tree: committee → 东区商圈党支部 (A) → 东区联建党支部 (A1), and
/// 西区协会分会党支部 (B); members and a group chat in A and in B. Scopes for the committee admin and A's secretary.
/// </summary>
public sealed class LedgerHost : IAsyncDisposable
{
    public ChatBotFactory Factory { get; } = new();
    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 23, 2, 0, 0, TimeSpan.Zero));
    public Organisation Committee { get; private set; } = null!;
    public Organisation A { get; private set; } = null!;
    public Organisation A1 { get; private set; } = null!;
    public Organisation B { get; private set; } = null!;
    public Member AMember { get; private set; } = null!;
    public Member A1Member { get; private set; } = null!;
    public Member BMember { get; private set; } = null!;
    public GroupChat AChat { get; private set; } = null!;
    public GroupChat BChat { get; private set; } = null!;

    public OrganisationScope Admin => new("admin", AdminRole.Admin, Committee.Id, Committee.TreePath);
    public OrganisationScope SecretaryA => new("shuji-a", AdminRole.Secretary, A.Id, A.TreePath);

    public const string Password = "Test-Passw0rd!";

    /// <param name="realServer">Listen on a loopback port (for a browser) instead of the in-memory test server.</param>
    public static async Task<LedgerHost> StartAsync(bool realServer = false)
    {
        var host = new LedgerHost();
        host.Factory.TimeProvider = host.Time;
        if (realServer)
        {
            host.Factory.UseKestrel(0);
            host.Factory.StartServer();
        }
        await host.SeedAsync();
        await host.AddUserAsync("admin", AdminRole.Admin, host.Committee.Id);
        await host.AddUserAsync("shuji-a", AdminRole.Secretary, host.A.Id);
        return host;
    }

    /// <summary>Base address of the real server (only with <c>realServer</c>).</summary>
    public Uri ServerAddress => new(Factory.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
        .Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()!.Addresses.First());

    public async Task AddUserAsync(string userName, AdminRole role, int organisationId)
    {
        await WithDbAsync(async db =>
        {
            var user = new AdminUser
            {
                UserName = userName, PasswordHash = "", DisplayName = userName, Role = role, OrganisationId = organisationId,
                SecurityStamp = Guid.NewGuid().ToString("N"), CreatedAt = Time.GetUtcNow().UtcDateTime,
            };
            user.PasswordHash = new PasswordHasher<AdminUser>().HashPassword(user, Password);
            db.AdminUsers.Add(user);
            return await db.SaveChangesAsync();
        });
    }

    /// <summary>An HTTP client signed in through the real sign-in page (cookie and antiforgery token as a browser has them).</summary>
    public async Task<ConsoleClient> SignInAsync(string userName)
    {
        var client = Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var console = new ConsoleClient(client);
        var token = await console.TokenAsync("/admin/login");
        var response = await client.PostAsync("/admin/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["UserName"] = userName, ["Password"] = Password, ["__RequestVerificationToken"] = token,
        }));
        if (response.StatusCode != System.Net.HttpStatusCode.Redirect)
            throw new InvalidOperationException($"sign-in as {userName} failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return console;
    }

    private async Task SeedAsync()
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ChatBotDbContext>();
        var now = Time.GetUtcNow().UtcDateTime;
        Committee = new Organisation { Name = "测试个私党委", Kind = OrganisationKind.Committee, CreatedAt = now };
        db.Organisations.Add(Committee);
        await db.SaveChangesAsync();
        Committee.Path = OrganisationPath.Root.Child(Committee.Id).Value;
        A = await AddAsync(db, "东区商圈党支部", OrganisationKind.MarketBranch, Committee, now);
        A1 = await AddAsync(db, "东区联建党支部", OrganisationKind.JointBranch, A, now);
        B = await AddAsync(db, "西区协会分会党支部", OrganisationKind.AssociationBranch, Committee, now);

        AMember = new Member { Name = "王建国", Phone = "13800000001", OrganisationId = A.Id, BusinessName = "建国五金", CreatedAt = now };
        A1Member = new Member { Name = "张伟", Phone = "13800000003", OrganisationId = A1.Id, CreatedAt = now };
        BMember = new Member { Name = "刘芳", Phone = "13800000004", OrganisationId = B.Id, CreatedAt = now };
        db.Members.AddRange(AMember, new Member { Name = "李秀兰", Phone = "13800000002", OrganisationId = A.Id, CreatedAt = now },
            A1Member, BMember, new Member { Name = "陈明", OrganisationId = B.Id, CreatedAt = now });
        AChat = new GroupChat { OrganisationId = A.Id, Channel = Channel.DingTalk, Name = "东区支部群", CreatedAt = now };
        BChat = new GroupChat { OrganisationId = B.Id, Channel = Channel.WeCom, Name = "西区支部群", BrokenAt = now, BrokenReason = "Webhook 已失效", CreatedAt = now };
        db.GroupChats.AddRange(AChat, BChat);
        await db.SaveChangesAsync();
    }

    private static async Task<Organisation> AddAsync(ChatBotDbContext db, string name, OrganisationKind kind, Organisation parent, DateTime now)
    {
        var org = new Organisation { Name = name, Kind = kind, ParentId = parent.Id, CreatedAt = now };
        db.Organisations.Add(org);
        await db.SaveChangesAsync();
        org.Path = parent.TreePath.Child(org.Id).Value;
        await db.SaveChangesAsync();
        return org;
    }

    /// <summary>Runs <paramref name="work"/> with a service from a fresh request scope (its own DbContext).</summary>
    public async Task<TResult> WithAsync<TService, TResult>(Func<TService, Task<TResult>> work) where TService : notnull
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<TService>());
    }

    public async Task<T> WithDbAsync<T>(Func<ChatBotDbContext, Task<T>> work)
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<ChatBotDbContext>());
    }

    public async ValueTask DisposeAsync() => await Factory.DisposeAsync();
}

/// <summary>A signed-in console client: GET pages, POST forms with the page's antiforgery token.</summary>
public sealed partial class ConsoleClient(HttpClient client)
{
    public HttpClient Http => client;

    public Task<HttpResponseMessage> GetAsync(string path) => client.GetAsync(path);

    /// <summary>The antiforgery token of the form on <paramref name="path"/>.</summary>
    public async Task<string> TokenAsync(string path)
    {
        var html = await client.GetStringAsync(path);
        return TokenPattern().Match(html) is { Success: true } m ? System.Net.WebUtility.HtmlDecode(m.Groups[1].Value)
            : throw new InvalidOperationException($"no antiforgery token on {path}");
    }

    /// <summary>Posts <paramref name="fields"/> to <paramref name="path"/> with a token taken from <paramref name="tokenFrom"/>.</summary>
    public async Task<HttpResponseMessage> PostAsync(string path, IDictionary<string, string> fields, string tokenFrom = "/admin/members")
    {
        var form = new Dictionary<string, string>(fields) { ["__RequestVerificationToken"] = await TokenAsync(tokenFrom) };
        return await client.PostAsync(path, new FormUrlEncodedContent(form));
    }

    [System.Text.RegularExpressions.GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial System.Text.RegularExpressions.Regex TokenPattern();
}
