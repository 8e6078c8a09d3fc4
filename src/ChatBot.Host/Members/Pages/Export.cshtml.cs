using ChatBot.Host.Admin;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ChatBot.Host.Members.Pages;

/// <summary>CSV of the filtered member list, in the import's columns; phones as the scope shows them.</summary>
public sealed class ExportModel(MemberLedgerService members, OrganisationScope scope, TimeProvider time) : PageModel
{
    [BindProperty(SupportsGet = true)] public MemberQuery Query { get; set; } = new();

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var rows = await members.ListAllAsync(scope, Query.ToFilter(), ct);
        var name = $"members-{time.GetUtcNow():yyyyMMdd}.csv";
        return File(MemberCsv.Write(rows), "text/csv; charset=utf-8", name);
    }
}
