using ChatBot.Host.Admin;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ChatBot.Host.Broadcasts.Pages;

/// <summary>推送: the broadcasts in the caller's scope, newest first, with their latest run's counts.</summary>
public sealed class IndexModel(BroadcastService broadcasts, BroadcastRoutingPolicy routing, OrganisationScope scope) : PageModel
{
    public const int PageSize = 50;

    [BindProperty(SupportsGet = true, Name = "page")] public int PageNumber { get; set; } = 1;
    public IReadOnlyList<BroadcastService.ListRow> Rows { get; private set; } = [];
    public int Total { get; private set; }
    public TimeZoneInfo Zone => routing.TimeZone;

    public async Task OnGetAsync(CancellationToken ct)
    {
        PageNumber = Math.Max(1, PageNumber);
        (Rows, Total) = await broadcasts.ListAsync(scope, PageNumber, PageSize, ct);
    }
}
