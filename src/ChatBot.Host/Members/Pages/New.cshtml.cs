using ChatBot.Host.Admin;
using ChatBot.Host.Ledger;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ChatBot.Host.Members.Pages;

public sealed class NewModel(MemberLedgerService members, OrganisationScope scope) : PageModel
{
    [BindProperty] public MemberInput Input { get; set; } = new();
    [BindProperty(SupportsGet = true)] public int? OrganisationId { get; set; }
    public IReadOnlyList<(int Id, string Name)> Branches { get; private set; } = [];
    public string? Error { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => Branches = await members.BranchesAsync(scope, ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        try
        {
            if (OrganisationId is not { } orgId || await members.CreateAsync(scope, orgId, Input, ct) is not { } member) return NotFound();
            return Redirect($"/admin/members/{member.Id}");
        }
        catch (LedgerRuleException ex)
        {
            Error = ex.Message;
            Branches = await members.BranchesAsync(scope, ct);
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
    }
}
