using ChatBot.Core.Conversation;
using ChatBot.Host.Admin;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ChatBot.Host.Activities.Pages;

/// <summary>CSV of the sign-ups and attendance (UTF-8 with BOM, or <c>?encoding=gbk</c>).</summary>
public sealed class ExportModel(ActivityConsoleService activities, OrganisationScope scope, DisplayTime display) : PageModel
{
    [BindProperty(SupportsGet = true)] public int Id { get; set; }
    [BindProperty(SupportsGet = true)] public string? Encoding { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var detail = await activities.GetAsync(scope, Id, ct);
        if (detail is null) return NotFound();
        var gbk = string.Equals(Encoding, "gbk", StringComparison.OrdinalIgnoreCase);
        return File(ActivityCsv.Write(detail, display, gbk), gbk ? "text/csv; charset=gbk" : "text/csv; charset=utf-8", $"activity-{Id}-signups.csv");
    }
}
