using ChatBot.Core.Domain;
using ChatBot.Host.Admin;
using ChatBot.Host.Api;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ChatBot.Host.Content.Pages;

/// <summary>内容: policy guides, micro-lessons and notices in scope, filtered by kind, status and tag, 20 a page.</summary>
public sealed class IndexModel(ContentService content, OrganisationScope scope) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "kind")] public ContentKind? Kind { get; set; }
    [BindProperty(SupportsGet = true, Name = "status")] public ContentStatus? Status { get; set; }
    [BindProperty(SupportsGet = true, Name = "tag")] public string? Tag { get; set; }
    [BindProperty(SupportsGet = true, Name = "q")] public string? Q { get; set; }
    [BindProperty(SupportsGet = true, Name = "page")] public int PageNumber { get; set; } = 1;

    public PagedResult<ContentRow> Found { get; private set; } = new([], 0, 1, ContentService.PageSize);
    public IReadOnlyList<string> Tags { get; private set; } = [];
    public int PageCount => Math.Max(1, (Found.Total + Found.PageSize - 1) / Found.PageSize);

    public async Task OnGetAsync(CancellationToken ct)
    {
        Tags = await content.TagsAsync(scope, ct);
        var filter = new ContentFilter { Kind = Kind, Status = Status, Tag = Tag, Search = Q };
        Found = await content.ListAsync(scope, filter, new Paging(Math.Max(1, PageNumber), ContentService.PageSize), ct);
    }

    public Dictionary<string, string?> Route(int? page = null) => new()
    {
        ["kind"] = Kind?.ToString(), ["status"] = Status?.ToString(), ["tag"] = Tag, ["q"] = Q, ["page"] = page?.ToString(),
    };
}
