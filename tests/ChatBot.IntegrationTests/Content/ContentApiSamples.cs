using System.Net.Http.Json;
using ChatBot.Core.Domain;
using ChatBot.Host.Data;
using ChatBot.IntegrationTests.Api;
using Microsoft.Extensions.DependencyInjection;

namespace ChatBot.IntegrationTests.Content;

/// <summary>One sample per <c>/api/v1/content-items</c> endpoint for the OpenAPI walk (超级管理员 key, demo seed).</summary>
public sealed class ContentApiSamples : IApiSampleSet
{
    public IEnumerable<ApiSample> Samples()
    {
        yield return new("GET", "/api/v1/content-items", 200, _ => Get("/api/v1/content-items?kind=Policy&page=1&pageSize=10"));
        yield return new("GET", "/api/v1/content-items/{id}", 200, async c => new HttpRequestMessage(HttpMethod.Get, $"/api/v1/content-items/{await SeedAsync(c, ContentStatus.Draft)}"));
        yield return new("POST", "/api/v1/content-items", 201, _ => Task.FromResult(new HttpRequestMessage(HttpMethod.Post, "/api/v1/content-items")
        {
            Content = JsonContent.Create(new
            {
                kind = "Lesson", title = "微党课：样例", summary = "摘要", bodyMarkdown = "正文", tags = new[] { "样例" }, estimatedMinutes = 5,
                attachments = new[] { new { title = "原文", url = "https://example.org/a.pdf" } },
                questions = new[] { new { kind = "Multiple", text = "哪些正确？", options = new[] { "甲", "乙", "丙" }, correct = "AC", explanation = "甲和丙" } },
            }),
        }));
        yield return new("PUT", "/api/v1/content-items/{id}", 200, async c => new HttpRequestMessage(HttpMethod.Put, $"/api/v1/content-items/{await SeedAsync(c, ContentStatus.Draft)}")
        {
            Content = JsonContent.Create(new { title = "改过的标题", bodyMarkdown = "新正文", estimatedMinutes = 2 }),
        });
        yield return new("POST", "/api/v1/content-items/{id}/submit", 200, async c => Post($"/api/v1/content-items/{await SeedAsync(c, ContentStatus.Draft)}/submit"));
        yield return new("POST", "/api/v1/content-items/{id}/approve", 200, async c => Post($"/api/v1/content-items/{await SeedAsync(c, ContentStatus.Review)}/approve"));
        yield return new("POST", "/api/v1/content-items/{id}/reject", 200, async c => new HttpRequestMessage(HttpMethod.Post, $"/api/v1/content-items/{await SeedAsync(c, ContentStatus.Review)}/reject")
        {
            Content = JsonContent.Create(new { comment = "请补充办理地点" }),
        });
        yield return new("POST", "/api/v1/content-items/{id}/archive", 200, async c => Post($"/api/v1/content-items/{await SeedAsync(c, ContentStatus.Published)}/archive"));
    }

    private static Task<HttpRequestMessage> Get(string url) => Task.FromResult(new HttpRequestMessage(HttpMethod.Get, url));

    private static HttpRequestMessage Post(string url) => new(HttpMethod.Post, url);

    /// <summary>A committee-wide item written by another author, so the key's caller may review it.</summary>
    private static async Task<int> SeedAsync(ApiSampleContext context, ContentStatus status)
    {
        await using var scope = context.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ChatBotDbContext>();
        var now = context.Services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
        var item = new ContentItem
        {
            Kind = ContentKind.Notice, Title = "样例通知", BodyMarkdown = "正文", Status = status, AuthorName = "sample-author",
            LastEditedBy = "sample-author", SubmittedBy = status == ContentStatus.Draft ? null : "sample-author", CreatedAt = now, UpdatedAt = now,
        };
        db.ContentItems.Add(item);
        await db.SaveChangesAsync();
        return item.Id;
    }
}
