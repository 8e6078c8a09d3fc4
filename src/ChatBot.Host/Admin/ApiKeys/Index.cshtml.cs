using ChatBot.Core.Domain;
using ChatBot.Host.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace ChatBot.Host.Admin.ApiKeys;

/// <summary>
/// 账号 → API 密钥: create (the key is shown once, on the answer to the POST, never stored), list (prefix, scope, role,
/// last used), revoke. A 支部书记 sees and creates only 支部书记 keys for their own subtree. Every change audited.
/// </summary>
public sealed class IndexModel(ChatBotDbContext db, ApiKeyService keys, OrganisationScope scope) : PageModel
{
    public IReadOnlyList<ApiKeyRow> Keys { get; private set; } = [];
    public IReadOnlyList<Organisation> Organisations { get; private set; } = [];
    public bool CanCreateAdmin => scope.IsSuperAdmin;

    [TempData] public string? Message { get; set; }
    public string? Error { get; private set; }
    /// <summary>The new key, on the page that answers the create (never in TempData, a cookie).</summary>
    public string? CreatedSecret { get; private set; }

    [BindProperty] public string NewName { get; set; } = "";
    [BindProperty] public int? NewOrganisationId { get; set; }
    [BindProperty] public AdminRole NewRole { get; set; } = AdminRole.Secretary;

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostCreateAsync(CancellationToken ct)
    {
        var result = await keys.CreateAsync(scope, NewName, NewOrganisationId, NewRole, ct);
        if (!result.Succeeded)
        {
            Error = result.Error;
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }
        else
        {
            CreatedSecret = result.Created!.Secret;
            NewName = "";
            // The secret must not be cached anywhere on the way back.
            Response.Headers.CacheControl = "no-store";
        }
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeAsync(int id, CancellationToken ct)
    {
        var result = await keys.RevokeAsync(scope, id, ct);
        if (result.Succeeded)
        {
            Message = "密钥已吊销，使用它的请求将立即被拒绝。";
            return RedirectToPage();
        }
        Error = result.Error;
        Response.StatusCode = StatusCodes.Status404NotFound;
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Organisations = await db.Organisations.AsNoTracking().WithinScope(scope).OrderBy(o => o.Path).ToListAsync(ct);
        Keys = await keys.ListAsync(scope, ct);
    }
}
