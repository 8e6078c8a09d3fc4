using ChatBot.Core.Domain;
using ChatBot.Host.Admin;
using ChatBot.Host.Ledger;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ChatBot.Host.Members.Pages;

/// <summary>One member: edit, 组织关系转接, stop/restore, issue a binding code. Not in scope → 404.</summary>
public sealed class EditModel(MemberLedgerService members, BindingCodeService codes, OrganisationScope scope) : PageModel
{
    [BindProperty(SupportsGet = true)] public int Id { get; set; }
    [BindProperty] public MemberInput Input { get; set; } = new();
    public MemberRow Member { get; private set; } = null!;
    public IReadOnlyList<(int Id, string Name)> Branches { get; private set; } = [];
    public IReadOnlyList<BindingCodeRow> Codes { get; private set; } = [];
    public string? Message { get; private set; }
    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct)) return NotFound();
        Input = new MemberInput { Name = Member.Name, Phone = Member.Phone, Status = Member.Status, IsMobile = Member.IsMobile, BusinessName = Member.BusinessName };
        return Page();
    }

    public Task<IActionResult> OnPostSaveAsync(CancellationToken ct) =>
        RunAsync(async () => await members.UpdateAsync(scope, Id, Input, ct) is null ? null : "已保存。", ct);

    public Task<IActionResult> OnPostTransferAsync(int targetOrganisationId, string? note, CancellationToken ct) =>
        RunAsync(async () => await members.TransferAsync(scope, Id, targetOrganisationId, note, ct) is { } m ? "组织关系已转接。" : null, ct);

    public Task<IActionResult> OnPostArchiveAsync(bool archived, CancellationToken ct) =>
        RunAsync(async () => await members.SetArchivedAsync(scope, Id, archived, ct) is null ? null : archived ? "已停用。" : "已恢复。", ct);

    public async Task<IActionResult> OnPostIssueCodeAsync(int validDays, CancellationToken ct)
    {
        try
        {
            if (await codes.IssueForMemberAsync(scope, Id, validDays, ct) is null) return NotFound();
        }
        catch (LedgerRuleException ex)
        {
            return await FailAsync(ex.Message, ct);
        }
        return Redirect($"/admin/binding-codes/print?memberId={Id}");
    }

    private async Task<IActionResult> RunAsync(Func<Task<string?>> action, CancellationToken ct)
    {
        try
        {
            if (await action() is not { } message) return NotFound();
            Message = message;
        }
        catch (LedgerRuleException ex)
        {
            return await FailAsync(ex.Message, ct);
        }
        if (!await LoadAsync(ct)) return NotFound();
        Input = new MemberInput { Name = Member.Name, Phone = Member.Phone, Status = Member.Status, IsMobile = Member.IsMobile, BusinessName = Member.BusinessName };
        return Page();
    }

    private async Task<IActionResult> FailAsync(string message, CancellationToken ct)
    {
        Error = message;
        if (!await LoadAsync(ct)) return NotFound();
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        if (await members.GetAsync(scope, Id, ct) is not { } member) return false;
        Member = member;
        Branches = await members.BranchesAsync(scope, ct);
        Codes = await codes.ListAsync(scope, null, Id, usableOnly: false, ct);
        return true;
    }
}
