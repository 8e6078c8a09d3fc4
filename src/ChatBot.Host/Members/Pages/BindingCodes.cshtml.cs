using ChatBot.Host.Admin;
using ChatBot.Host.Ledger;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ChatBot.Host.Members.Pages;

/// <summary>绑定码: issue per branch (members not yet bound), list, expire, open the printable sheet.</summary>
public sealed class BindingCodesModel(BindingCodeService codes, MemberLedgerService members, OrganisationScope scope) : PageModel
{
    [BindProperty(SupportsGet = true)] public int? OrganisationId { get; set; }
    public IReadOnlyList<BindingCodeRow> Codes { get; private set; } = [];
    public IReadOnlyList<(int Id, string Name)> Branches { get; private set; } = [];
    public string? Message { get; private set; }
    public string? Error { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostIssueAsync(int validDays, CancellationToken ct)
    {
        try
        {
            if (OrganisationId is not { } orgId || await codes.IssueForBranchAsync(scope, orgId, validDays, ct) is not { } issued) return NotFound();
            Message = issued.Count == 0 ? "该支部党员都已绑定，无需生成绑定码。" : $"已为 {issued.Count} 名未绑定党员生成绑定码，原有未使用的绑定码已作废。";
        }
        catch (LedgerRuleException ex)
        {
            Error = ex.Message;
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostExpireAsync(int codeId, CancellationToken ct)
    {
        if (await codes.ExpireAsync(scope, codeId, ct) is null) return NotFound();
        Message = "绑定码已作废。";
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Branches = await members.BranchesAsync(scope, ct);
        Codes = await codes.ListAsync(scope, OrganisationId, null, usableOnly: true, ct);
    }
}
