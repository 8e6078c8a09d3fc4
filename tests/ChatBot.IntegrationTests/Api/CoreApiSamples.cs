using System.Text;
using ChatBot.Core.Domain;
using ChatBot.Host.GroupChats;
using Microsoft.Extensions.DependencyInjection;
using static ChatBot.IntegrationTests.Api.ApiSampleContext;

namespace ChatBot.IntegrationTests.Api;

/// <summary>Samples for bindings, group chats, unanswered questions, organisations, members, imports and binding codes.</summary>
public sealed class CoreApiSamples : IApiSampleSet
{
    public const string DingTalkWebhook = "https://oapi.dingtalk.com/robot/send?access_token=walk";

    public IEnumerable<ApiSample> Samples() =>
    [
        new("GET", "/api/v1/bindings/pending", 200, _ => Task.FromResult(Request(HttpMethod.Get, "/api/v1/bindings/pending"))),
        new("POST", "/api/v1/bindings/{identityId}/confirm", 204, async c => Request(HttpMethod.Post, $"/api/v1/bindings/{await PendingIdentityAsync(c)}/confirm")),
        new("POST", "/api/v1/bindings/{identityId}/reject", 204, async c => Request(HttpMethod.Post, $"/api/v1/bindings/{await PendingIdentityAsync(c)}/reject")),

        new("GET", "/api/v1/group-chats/broken", 200, _ => Task.FromResult(Request(HttpMethod.Get, "/api/v1/group-chats/broken"))),
        new("GET", "/api/v1/group-chats", 200, _ => Task.FromResult(Request(HttpMethod.Get, "/api/v1/group-chats"))),
        new("GET", "/api/v1/group-chats/{id}", 200, async c => Request(HttpMethod.Get, $"/api/v1/group-chats/{await GroupChatAsync(c)}")),
        new("POST", "/api/v1/group-chats", 201, async c => Request(HttpMethod.Post, "/api/v1/group-chats",
            new { organisationId = (await DemoData.BranchAsync(c)).Id, channel = "DingTalk", name = "示例群", webhookUrl = DingTalkWebhook })),
        new("PUT", "/api/v1/group-chats/{id}", 200, async c => Request(HttpMethod.Put, $"/api/v1/group-chats/{await GroupChatAsync(c)}", new { name = "改名后的群" })),
        new("POST", "/api/v1/group-chats/{id}/pushes", 202, async c => Request(HttpMethod.Post, $"/api/v1/group-chats/{await GroupChatAsync(c)}/pushes",
            new { idempotencyKey = Guid.NewGuid().ToString("N"), push = new { kind = "Text", text = "示例推送" } })),

        new("GET", "/api/v1/unanswered-questions", 200, _ => Task.FromResult(Request(HttpMethod.Get, "/api/v1/unanswered-questions"))),
        new("POST", "/api/v1/unanswered-questions/{id}/resolve", 204, async c => Request(HttpMethod.Post, $"/api/v1/unanswered-questions/{await UnansweredAsync(c)}/resolve")),

        new("GET", "/api/v1/organisations/tree", 200, _ => Task.FromResult(Request(HttpMethod.Get, "/api/v1/organisations/tree"))),
        new("GET", "/api/v1/organisations", 200, _ => Task.FromResult(Request(HttpMethod.Get, "/api/v1/organisations?page=1&pageSize=10"))),
        new("GET", "/api/v1/organisations/{id}", 200, async c => Request(HttpMethod.Get, $"/api/v1/organisations/{(await DemoData.BranchAsync(c)).Id}")),

        new("GET", "/api/v1/members", 200, _ => Task.FromResult(Request(HttpMethod.Get, "/api/v1/members?pageSize=5&status=Full"))),
        new("GET", "/api/v1/members/{id}", 200, async c => Request(HttpMethod.Get, $"/api/v1/members/{(await DemoData.MemberAsync(c)).Id}")),
        new("POST", "/api/v1/members", 201, async c => Request(HttpMethod.Post, "/api/v1/members",
            new { organisationId = (await DemoData.BranchAsync(c)).Id, name = "示例党员", status = "Full", isMobile = false })),
        new("PUT", "/api/v1/members/{id}", 200, async c =>
        {
            var m = await DemoData.MemberAsync(c);
            return Request(HttpMethod.Put, $"/api/v1/members/{m.Id}", new { name = m.Name, phone = m.Phone, status = m.Status.ToString(), isMobile = !m.IsMobile, businessName = m.BusinessName });
        }),
        new("POST", "/api/v1/member-imports", 202, async c =>
        {
            var branch = await DemoData.BranchAsync(c);
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/member-imports")
            {
                Content = new StringContent($"姓名,手机号,所在支部\n导入示例{Guid.NewGuid().ToString("N")[..6]},,{branch.Name}\n", Encoding.UTF8, "text/csv"),
            };
            return request;
        }),
        new("GET", "/api/v1/member-imports/{id}", 200, async c => Request(HttpMethod.Get, $"/api/v1/member-imports/{await ImportJobAsync(c)}")),

        new("GET", "/api/v1/binding-codes", 200, _ => Task.FromResult(Request(HttpMethod.Get, "/api/v1/binding-codes?usableOnly=true"))),
        new("POST", "/api/v1/binding-codes", 201, async c => Request(HttpMethod.Post, "/api/v1/binding-codes", new { memberId = (await DemoData.MemberAsync(c)).Id, validDays = 7 })),
    ];

    /// <summary>A name + phone binding waiting for the secretary, on a member with no bound account.</summary>
    public static Task<int> PendingIdentityAsync(ApiSampleContext c) => c.WithDbAsync(async db =>
    {
        var member = db.Members.Where(m => !m.Archived && !db.ChannelIdentities.Any(i => i.MemberId == m.Id)).OrderByDescending(m => m.Id).First();
        var identity = new ChannelIdentity
        {
            Channel = Channel.WeChat, ExternalId = "walk-" + Guid.NewGuid().ToString("N"), MemberId = member.Id, State = BindingState.Pending,
            CreatedAt = DateTime.UtcNow,
        };
        db.ChannelIdentities.Add(identity);
        await db.SaveChangesAsync();
        return identity.Id;
    });

    public static async Task<int> GroupChatAsync(ApiSampleContext c)
    {
        var branch = await DemoData.BranchAsync(c);
        await using var scope = c.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<GroupChatSettingsService>().CreateAsync(new GroupChatSettings
        {
            OrganisationId = branch.Id, Channel = Channel.DingTalk, Name = "示例群 " + Guid.NewGuid().ToString("N")[..4], WebhookUrl = DingTalkWebhook,
        }, CancellationToken.None);
    }

    private static Task<long> UnansweredAsync(ApiSampleContext c) => c.WithDbAsync(async db =>
    {
        var q = new UnansweredQuestion
        {
            Question = "示例问题", Channel = Channel.WeChat, OrganisationId = db.Organisations.OrderBy(o => o.Id).First().Id,
            Kind = default, Status = UnansweredStatus.Open, AskedAt = DateTime.UtcNow,
        };
        db.UnansweredQuestions.Add(q);
        await db.SaveChangesAsync();
        return q.Id;
    });

    private static async Task<Guid> ImportJobAsync(ApiSampleContext c)
    {
        var branch = await DemoData.BranchAsync(c);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/member-imports")
        {
            Content = new StringContent($"姓名,手机号,所在支部\n状态示例,,{branch.Name}\n", Encoding.UTF8, "text/csv"),
        };
        using var response = await c.AdminClient!.SendAsync(request);
        var body = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return body.GetProperty("id").GetGuid();
    }
}
