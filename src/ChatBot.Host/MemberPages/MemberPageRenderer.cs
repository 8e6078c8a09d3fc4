using System.Collections.Concurrent;
using ChatBot.Core.Domain;
using ChatBot.Host.Features;
using ChatBot.Host.Templates;
using Markdig;
using Scriban;

namespace ChatBot.Host.MemberPages;

/// <summary>
/// Renders templates/pages/&lt;name&gt;.liquid inside templates/pages/layout.liquid (vendored Bootstrap CSS and
/// /css/member.css; no script). Bodies are Markdown rendered by Markdig with raw HTML disabled; every other value is
/// escaped in the templates.
/// </summary>
public sealed class MemberPageRenderer(TemplateFolder folder, LiquidRenderer renderer, SignedMemberLinks links)
{
    private readonly ConcurrentDictionary<string, Template> _cache = new(StringComparer.Ordinal);

    /// <summary>The one sanitised Markdown rendering of content bodies (<see cref="ChatBot.Host.Content.ContentMarkdown"/>).</summary>
    public string Markdown(string markdown) => ChatBot.Host.Content.ContentMarkdown.ToSafeHtml(markdown);

    /// <summary>
    /// An item's attachment links. Checked as http(s) when saved; checked again here so a row written any other way
    /// cannot carry javascript:.
    /// </summary>
    public static IReadOnlyList<object> Attachments(ContentItem item) =>
        item.Attachments.Where(a => ContentRules.IsWebAddress(a.Url)).OrderBy(a => a.Order)
            .Select(a => (object)new { title = a.Title, url = a.Url }).ToList();

    /// <summary>A page; <paramref name="memberId"/> adds the footer links to the member's tasks and points.</summary>
    public IResult Page(string name, string title, object model, int? memberId, int status = StatusCodes.Status200OK)
    {
        var content = renderer.Render(Load(name), model);
        var html = renderer.Render(Load("layout"), new
        {
            title,
            content,
            page = name,
            tasks_url = memberId is { } m1 ? links.Tasks(m1) : null,
            points_url = memberId is { } m2 ? links.Points(m2) : null,
        });
        return Results.Content(html, "text/html; charset=utf-8", statusCode: status);
    }

    /// <summary>The policy / notice guide page (public, no member).</summary>
    public IResult Content(ContentItem item) => Page("content", item.Title, new
    {
        title = item.Title,
        summary = item.Summary,
        body = Markdown(item.BodyMarkdown),
        attachments = Attachments(item),
    }, null);

    /// <summary>A clear refusal: link_invalid, link_expired, link_revoked, request_refused or not_found.</summary>
    public IResult Error(int status, string reason) => Page("error", "无法打开页面", new { reason }, null, status);

    public IResult Refusal(MemberLinkStatus status) => status switch
    {
        MemberLinkStatus.Expired => Error(StatusCodes.Status403Forbidden, "link_expired"),
        MemberLinkStatus.Revoked => Error(StatusCodes.Status403Forbidden, "link_revoked"),
        _ => Error(StatusCodes.Status403Forbidden, "link_invalid"),
    };

    private Template Load(string name) => _cache.GetOrAdd(name, n =>
    {
        var path = Path.Combine(folder.Path, "pages", n + ".liquid");
        return LiquidRenderer.Parse(File.ReadAllText(path), path);
    });
}
