using System.Net.Http.Headers;
using ChatBot.Core.Domain;
using ChatBot.Host.Data;
using ChatBot.IntegrationTests.Broadcasts;
using ChatBot.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ChatBot.IntegrationTests.Api;

/// <summary>
/// The real host with the demo seed, the delivery / broadcast / group workers off (rows stay pending), WeChat on with
/// a dead base URL, a clock pinned to a Monday 10:00 in Shanghai, and a 超级管理员 API key.
/// </summary>
public sealed class ApiTestHost : IAsyncDisposable
{
    private ApiTestHost(ChatBotFactory factory, FakeTimeProvider clock)
    {
        Factory = factory;
        Clock = clock;
    }

    public ChatBotFactory Factory { get; }
    public FakeTimeProvider Clock { get; }
    public IServiceProvider Services => Factory.Services;
    public string AdminKey { get; private set; } = "";

    public static async Task<ApiTestHost> StartAsync(Action<ChatBotFactory>? configure = null, bool demo = true)
    {
        var factory = new ChatBotFactory();
        var clock = new FakeTimeProvider(BroadcastHarness.PinnedMonday());
        factory.TimeProvider = clock;
        factory.Settings["Demo:Seed"] = demo ? "true" : "false";
        factory.Settings["Broadcasts:WorkerEnabled"] = "false";
        factory.Settings["GroupChats:WorkerEnabled"] = "false";
        factory.Settings["Delivery:WorkerEnabled"] = "false";
        factory.Settings["GroupChats:KeysDirectory"] = Path.Combine(Path.GetDirectoryName(factory.SqliteFilePath)!, "keys");
        factory.Settings["WeChat:Token"] = "test-token";
        factory.Settings["WeChat:AppId"] = "wx-test-app";
        factory.Settings["WeChat:AppSecret"] = "wx-test-secret";
        factory.Settings["WeChat:ApiBaseUrl"] = "http://127.0.0.1:9";
        factory.Settings["MemberPages:PublicBaseUrl"] = "https://dj.example.cn";
        configure?.Invoke(factory);
        var host = new ApiTestHost(factory, clock);
        _ = factory.Services;
        host.AdminKey = await TestApiKeys.CreateAsync(factory.Services, name: "walk-admin");
        return host;
    }

    public HttpClient Anonymous() => Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    public HttpClient WithKey(string key)
    {
        var client = Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    public HttpClient Admin() => WithKey(AdminKey);

    public async Task<T> WithDbAsync<T>(Func<ChatBotDbContext, Task<T>> work)
    {
        await using var scope = Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<ChatBotDbContext>());
    }

    public ValueTask DisposeAsync() => Factory.DisposeAsync();
}

/// <summary>Demo data look-ups shared by the samples.</summary>
public static class DemoData
{
    public static Task<Organisation> CommitteeAsync(ApiSampleContext c) =>
        c.WithDbAsync(db => db.Organisations.AsNoTracking().Where(o => o.ParentId == null).OrderBy(o => o.Id).FirstAsync());

    public static Task<Organisation> BranchAsync(ApiSampleContext c) =>
        c.WithDbAsync(db => db.Organisations.AsNoTracking().Where(o => o.Kind != OrganisationKind.Committee).OrderBy(o => o.Id).FirstAsync());

    public static Task<Member> MemberAsync(ApiSampleContext c) =>
        c.WithDbAsync(db => db.Members.AsNoTracking().Where(m => !m.Archived).OrderBy(m => m.Id).FirstAsync());
}
