using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ChatBot.Host.Admin.SignIn;

/// <summary>The sign-in form (antiforgery-checked like every Razor Pages POST: a post without the token is a 400).</summary>
[AllowAnonymous]
public sealed class LoginModel(AdminSignIn signIn) : PageModel
{
    [BindProperty]
    public string UserName { get; set; } = "";

    [BindProperty]
    public string Password { get; set; } = "";

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public string? Error { get; private set; }

    public IActionResult OnGet() =>
        OrganisationScope.FromPrincipal(User) is not null ? LocalRedirect(SafeReturnUrl()) : Page();

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(UserName) || string.IsNullOrEmpty(Password) || UserName.Length > 64 || Password.Length > 256)
        {
            Error = "请输入用户名和密码。";
            return Page();
        }
        var outcome = await signIn.PasswordSignInAsync(HttpContext, UserName, Password, ct);
        if (outcome.Status == SignInStatus.Succeeded) return LocalRedirect(SafeReturnUrl());
        Password = "";
        Error = outcome.Message;
        return new PageResult { StatusCode = outcome.Status == SignInStatus.RateLimited ? StatusCodes.Status429TooManyRequests : StatusCodes.Status200OK };
    }

    /// <summary>Only a console path of this site: never an open redirect to another host.</summary>
    private string SafeReturnUrl() =>
        ReturnUrl is { } url && Url.IsLocalUrl(url) && url.StartsWith("/admin", StringComparison.Ordinal) && !url.StartsWith(ConsoleAuth.LoginPath, StringComparison.Ordinal)
            ? url : "/admin";
}
