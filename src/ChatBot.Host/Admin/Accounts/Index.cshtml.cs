using ChatBot.Core.Domain;
using ChatBot.Host.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace ChatBot.Host.Admin.Accounts;

/// <summary>账号: list, create (role, organisation), disable/enable, reset password. 超级管理员 only; every change audited.</summary>
[Authorize(Policy = ConsoleAuth.SuperAdminPolicy)]
public sealed class IndexModel(ChatBotDbContext db, AdminAccounts accounts, OrganisationScope scope, TimeProvider time) : PageModel
{
    public sealed record Row(AdminUser User, string OrganisationName, bool Locked);

    public IReadOnlyList<Row> Users { get; private set; } = [];
    public IReadOnlyList<Organisation> Organisations { get; private set; } = [];

    [TempData] public string? Message { get; set; }
    public string? Error { get; private set; }

    [BindProperty] public string NewUserName { get; set; } = "";
    [BindProperty] public string? NewDisplayName { get; set; }
    [BindProperty] public AdminRole NewRole { get; set; } = AdminRole.Secretary;
    [BindProperty] public int? NewOrganisationId { get; set; }
    [BindProperty] public string NewPassword { get; set; } = "";
    [BindProperty] public string ResetPassword { get; set; } = "";

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostCreateAsync(CancellationToken ct)
    {
        var result = await accounts.CreateAsync(scope.Actor, NewUserName, NewDisplayName, NewRole, NewOrganisationId, NewPassword, ct);
        return await DoneAsync(result, $"已创建账号 {NewUserName.Trim()}。", ct);
    }

    public async Task<IActionResult> OnPostDisableAsync(int id, CancellationToken ct) =>
        await DoneAsync(await accounts.SetDisabledAsync(scope.Actor, id, disabled: true, ct), "账号已停用。", ct);

    public async Task<IActionResult> OnPostEnableAsync(int id, CancellationToken ct) =>
        await DoneAsync(await accounts.SetDisabledAsync(scope.Actor, id, disabled: false, ct), "账号已启用。", ct);

    public async Task<IActionResult> OnPostResetPasswordAsync(int id, CancellationToken ct) =>
        await DoneAsync(await accounts.ResetPasswordAsync(scope.Actor, id, ResetPassword, ct), "密码已重置，该账号需用新密码重新登录。", ct);

    private async Task<IActionResult> DoneAsync(AccountResult result, string message, CancellationToken ct)
    {
        if (result.Succeeded)
        {
            Message = message;
            return RedirectToPage();
        }
        Error = result.Error;
        NewPassword = "";
        ResetPassword = "";
        Response.StatusCode = StatusCodes.Status400BadRequest;
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        Organisations = await db.Organisations.AsNoTracking().WithinScope(scope).OrderBy(o => o.Path).ToListAsync(ct);
        var names = Organisations.ToDictionary(o => o.Id, o => o.Name);
        var users = await db.AdminUsers.AsNoTracking().WithinScope(scope, db.Organisations).OrderBy(u => u.Id).ToListAsync(ct);
        Users = users.Select(u => new Row(u, names.GetValueOrDefault(u.OrganisationId, "#" + u.OrganisationId), u.IsLockedOut(now))).ToList();
    }
}
