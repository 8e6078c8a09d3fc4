using ChatBot.Core.Conversation;
using ChatBot.Core.Domain;
using ChatBot.Host.Admin;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ChatBot.Host.Points.Pages;

/// <summary>A member's points explained line by line; manual credit/deduction request; reversal of a line.</summary>
public sealed class MemberModel(PointsConsoleService ledger, OrganisationScope scope, DisplayTime display) : PageModel
{
    [BindProperty(SupportsGet = true)] public int Id { get; set; }
    public MemberLedger Ledger { get; private set; } = null!;
    public string? Message { get; private set; }
    public string? Error { get; private set; }
    public string? ErrorField { get; private set; }
    public DisplayTime Display => display;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) => await LoadAsync(ct) ? Page() : NotFound();

    public Task<IActionResult> OnPostRequestAsync(int points, string? reason, string? evidence, CancellationToken ct) => RunAsync(async () =>
        await ledger.RequestManualAsync(scope, Id, points, reason, evidence, ct) is null ? null : "已提交，等待另一位管理员审核", ct);

    public Task<IActionResult> OnPostReverseAsync(long entryId, string? reason, CancellationToken ct) => RunAsync(async () =>
        await ledger.ReverseAsync(scope, entryId, reason, ct) is null ? null : "已冲正（新增一条相反的记录）", ct);

    private async Task<IActionResult> RunAsync(Func<Task<string?>> action, CancellationToken ct)
    {
        try
        {
            Message = await action();
            if (Message is null) return NotFound();
        }
        catch (RuleViolation ex)
        {
            Error = ex.Message;
            ErrorField = ex.Field;
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }
        return await LoadAsync(ct) ? Page() : NotFound();
    }

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        var found = await ledger.LedgerAsync(scope, Id, ct);
        if (found is null) return false;
        Ledger = found;
        return true;
    }
}
