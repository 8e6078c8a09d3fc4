using ChatBot.Host.Admin;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ChatBot.Host.Cadence.Pages;

/// <summary>三会一课: branches in scope × meeting kinds, overdue highlighted.</summary>
public sealed class IndexModel(CadenceService cadence, OrganisationScope scope) : PageModel
{
    public IReadOnlyList<BranchCadence> Branches { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => Branches = await cadence.ForScopeAsync(scope, ct);
}
