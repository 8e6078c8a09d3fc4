using ChatBot.Core.Domain;
using ChatBot.Host.Admin;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ChatBot.Host.Members.Pages;

/// <summary>The query string of the member list (and of its CSV export): q, organisationId, status, mobile, bound, page.</summary>
public sealed class MemberQuery
{
    [FromQuery(Name = "q")] public string? Q { get; set; }
    [FromQuery(Name = "organisationId")] public int? OrganisationId { get; set; }
    [FromQuery(Name = "status")] public MemberStatus? Status { get; set; }
    [FromQuery(Name = "mobile")] public bool? Mobile { get; set; }
    [FromQuery(Name = "bound")] public bool? Bound { get; set; }
    [FromQuery(Name = "archived")] public bool Archived { get; set; }

    public MemberFilter ToFilter() => new()
    {
        Search = Q, OrganisationId = OrganisationId, Status = Status, Mobile = Mobile, Bound = Bound, IncludeArchived = Archived,
    };

    public Dictionary<string, string?> ToRoute(int? page = null) => new()
    {
        ["q"] = Q, ["organisationId"] = OrganisationId?.ToString(), ["status"] = Status?.ToString(),
        ["mobile"] = Mobile?.ToString().ToLowerInvariant(), ["bound"] = Bound?.ToString().ToLowerInvariant(),
        ["archived"] = Archived ? "true" : null, ["page"] = page?.ToString(),
    };
}

/// <summary>党员台账: search, filters and paging, phones as the scope allows.</summary>
public sealed class IndexModel(MemberLedgerService members, OrganisationScope scope) : PageModel
{
    [BindProperty(SupportsGet = true)] public MemberQuery Query { get; set; } = new();
    [BindProperty(SupportsGet = true, Name = "page")] public int PageNumber { get; set; } = 1;
    public MemberPage Found { get; private set; } = new([], 0, 1, MemberLedgerService.PageSize);
    public IReadOnlyList<(int Id, string Name)> Branches { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        Branches = await members.BranchesAsync(scope, ct);
        Found = await members.SearchAsync(scope, Query.ToFilter(), PageNumber, ct);
    }
}
