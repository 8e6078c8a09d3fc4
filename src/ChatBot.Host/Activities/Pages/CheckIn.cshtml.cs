using ChatBot.Core.Conversation;
using ChatBot.Host.Admin;
using ChatBot.Host.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace ChatBot.Host.Activities.Pages;

/// <summary>The printable check-in sheet: the activity, its code in large type and a QR code of the check-in link.</summary>
public sealed class CheckInModel(ActivityConsoleService activities, OrganisationScope scope, DisplayTime display, IOptions<MemberPagesOptions> pages) : PageModel
{
    [BindProperty(SupportsGet = true)] public int Id { get; set; }
    public ActivityDetail Activity { get; private set; } = null!;
    public string Link { get; private set; } = "";
    public string QrSvg { get; private set; } = "";
    public DisplayTime Display => display;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var detail = await activities.GetAsync(scope, Id, ct);
        if (detail?.CheckInCode is null) return NotFound();
        Activity = detail;
        Link = ActivityConsoleService.CheckInLink(pages.Value.PublicBaseUrl, Id, detail.CheckInCode);
        QrSvg = CheckInQr.Svg(Link);
        return Page();
    }
}
