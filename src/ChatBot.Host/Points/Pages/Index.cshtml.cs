using ChatBot.Core.Conversation;
using ChatBot.Core.Domain;
using ChatBot.Host.Admin;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ChatBot.Host.Points.Pages;

/// <summary>积分: approvals waiting for a second admin, branch aggregates this quarter, member search, rules and star levels.</summary>
public sealed class IndexModel(PointsConsoleService ledger, OrganisationScope scope, DisplayTime display) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Name { get; set; }
    public IReadOnlyList<LedgerLine> Pending { get; private set; } = [];
    public IReadOnlyList<PointsRuleRow> Rules { get; private set; } = [];
    public IReadOnlyList<StarLevelRow> Stars { get; private set; } = [];
    public string Quarter { get; private set; } = "";
    public IReadOnlyList<BranchPoints> Branches { get; private set; } = [];
    public IReadOnlyList<(int Id, string Name, string Branch)> Found { get; private set; } = [];
    public string? Message { get; private set; }
    public string? Error { get; private set; }
    public string? ErrorField { get; private set; }
    public DisplayTime Display => display;
    public bool CanEditRules => scope.IsSuperAdmin;
    public string Actor => scope.Actor;

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public Task<IActionResult> OnPostDecideAsync(long entryId, bool approve, string? note, CancellationToken ct) => RunAsync(async () =>
    {
        var result = await ledger.DecideAsync(scope, entryId, approve, note, ct);
        return result?.Outcome switch
        {
            null => null,
            PointsDecisionOutcome.Approved => "已通过，积分已生效",
            PointsDecisionOutcome.Rejected => "已驳回",
            PointsDecisionOutcome.SameAsRequester => throw new RuleViolation("entryId", "申请人不能审核自己提交的申请，请由另一位管理员审核"),
            _ => throw new RuleViolation("entryId", "该申请已处理"),
        };
    }, ct);

    public Task<IActionResult> OnPostRuleAsync(int? id, string? code, string name, int points, int? dailyCap, bool needsApproval, bool active, CancellationToken ct) => RunAsync(async () =>
    {
        await ledger.SaveRuleAsync(scope, id, new PointsRuleInput(code, name, points, dailyCap, needsApproval, active), ct);
        return "积分规则已保存";
    }, ct);

    public Task<IActionResult> OnPostStarAsync(int? id, string name, string? ruleCodes, int quarterThreshold, bool active, CancellationToken ct) => RunAsync(async () =>
    {
        await ledger.SaveStarLevelAsync(scope, id, name, ruleCodes, quarterThreshold, active, ct);
        return "星级已保存";
    }, ct);

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
            Response.StatusCode = ex.Field == "scope" ? StatusCodes.Status403Forbidden : StatusCodes.Status400BadRequest;
        }
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        (Pending, _) = await ledger.PendingAsync(scope, 0, 200, ct);
        Rules = await ledger.RulesAsync(ct);
        Stars = await ledger.StarLevelsAsync(ct);
        (Quarter, Branches) = await ledger.BranchAggregatesAsync(scope, ct);
        Found = await ledger.FindMembersAsync(scope, Name, ct);
    }
}
