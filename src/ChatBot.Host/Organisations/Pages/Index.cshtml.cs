using ChatBot.Core.Domain;
using ChatBot.Host.Admin;
using ChatBot.Host.Ledger;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ChatBot.Host.Organisations.Pages;

/// <summary>组织架构: the tree in scope; add a child, rename / change kind, move a subtree.</summary>
public sealed class IndexModel(OrganisationTreeService tree, OrganisationScope scope) : PageModel
{
    public IReadOnlyList<OrganisationNode> Nodes { get; private set; } = [];
    public string? Message { get; private set; }
    public string? Error { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => Nodes = await tree.ListAsync(scope, ct);

    public Task<IActionResult> OnPostAddAsync(int parentId, string name, OrganisationKind kind, CancellationToken ct) =>
        RunAsync(async () => await tree.AddChildAsync(scope, parentId, name, kind, ct) is { } o ? $"已添加“{o.Name}”。" : null, ct);

    public Task<IActionResult> OnPostUpdateAsync(int id, string name, OrganisationKind kind, CancellationToken ct) =>
        RunAsync(async () => await tree.UpdateAsync(scope, id, name, kind, ct) is { } o ? $"已保存“{o.Name}”。" : null, ct);

    public Task<IActionResult> OnPostMoveAsync(int id, int newParentId, CancellationToken ct) =>
        RunAsync(async () => await tree.MoveAsync(scope, id, newParentId, ct) is { } o ? $"已将“{o.Name}”移到新的上级组织下。" : null, ct);

    /// <summary>Null from the action: the organisation is not in scope (or does not exist) → 404, the same either way.</summary>
    private async Task<IActionResult> RunAsync(Func<Task<string?>> action, CancellationToken ct)
    {
        try
        {
            if (await action() is not { } message) return NotFound();
            Message = message;
        }
        catch (LedgerRuleException ex)
        {
            Error = ex.Message;
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }
        Nodes = await tree.ListAsync(scope, ct);
        return Page();
    }
}
