using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ChatBot.Host.Admin.SignIn;

/// <summary>Sign-out is a POST with the antiforgery token (the layout's 退出 button), so a link on another site cannot sign a user out.</summary>
public sealed class LogoutModel(AdminSignIn signIn) : PageModel
{
    public IActionResult OnGet() => Redirect("/admin");

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        await signIn.SignOutAsync(HttpContext, ct);
        return Redirect(ConsoleAuth.LoginPath);
    }
}
