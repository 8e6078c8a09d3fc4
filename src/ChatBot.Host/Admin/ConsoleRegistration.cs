using ChatBot.Core.Domain;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace ChatBot.Host.Admin;

/// <summary>
/// The admin console's access layer: Razor Pages in feature folders (each page names its route with
/// <c>@page "/admin/..."</c>), cookie sign-in, the authorization policies, forwarded headers from known proxies only,
/// security headers and the vendored static assets in <c>wwwroot/lib</c>.
/// </summary>
public static class ConsoleRegistration
{
    public static WebApplicationBuilder AddChatBotConsole(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddRazorPages(o =>
        {
            o.RootDirectory = "/";
            // Every page in the project needs a signed-in console user unless it says otherwise: a new page is
            // protected by default, not by remembering an attribute.
            o.Conventions.AuthorizeFolder("/", ConsoleAuth.ConsolePolicy);
            o.Conventions.AllowAnonymousToPage("/Admin/SignIn/Login");
        });

        // Chinese text stays readable in the HTML source (it is still HTML-encoded where it must be).
        services.Configure<Microsoft.Extensions.WebEncoders.WebEncoderOptions>(o =>
            o.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));

        services.AddAuthentication(ConsoleAuth.CookieScheme)
            .AddCookie(ConsoleAuth.CookieScheme, o =>
            {
                o.Cookie.Name = "chatbot.console";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.ExpireTimeSpan = TimeSpan.FromHours(8);
                o.SlidingExpiration = true;
                o.LoginPath = ConsoleAuth.LoginPath;
                o.LogoutPath = ConsoleAuth.LogoutPath;
                o.ReturnUrlParameter = "returnUrl";
                o.Events = new CookieAuthenticationEvents
                {
                    OnValidatePrincipal = AdminSignIn.ValidatePrincipalAsync,
                    OnRedirectToLogin = context =>
                    {
                        // Machines get a status code; people get the sign-in page.
                        if (ConsoleAuth.IsMachineRequest(context.Request)) context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                        else context.Response.Redirect(context.RedirectUri);
                        return Task.CompletedTask;
                    },
                    OnRedirectToAccessDenied = context =>
                    {
                        context.Response.StatusCode = StatusCodes.Status403Forbidden;
                        return Task.CompletedTask;
                    },
                };
            });

        services.AddAuthorizationBuilder()
            .AddPolicy(ConsoleAuth.ConsolePolicy, p => p
                .AddAuthenticationSchemes(ConsoleAuth.CookieScheme)
                .RequireAuthenticatedUser()
                .RequireRole(nameof(AdminRole.Admin), nameof(AdminRole.Secretary))
                .RequireClaim(OrganisationScope.OrganisationPathClaim))
            .AddPolicy(ConsoleAuth.SuperAdminPolicy, p => p
                .AddAuthenticationSchemes(ConsoleAuth.CookieScheme)
                .RequireAuthenticatedUser()
                .RequireRole(nameof(AdminRole.Admin)));

        services.AddOptions<ProxyOptions>().BindConfiguration(ProxyOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ProxyOptions>, ProxyOptionsValidator>();
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ProxyOptions>>((forwarded, proxy) => ForwardedHeadersSetup.Apply(forwarded, proxy.Value));

        services.AddOptions<AdminOptions>().BindConfiguration(AdminOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AdminOptions>, AdminOptionsValidator>();
        // Registered after the database initializer (AddChatBotData), so it runs once migrations and the demo seed are done.
        services.AddHostedService<InitialAdminCreator>();

        services.AddScoped<AuditLog>();
        services.AddScoped<AdminSignIn>();
        services.AddScoped<AdminAccounts>();
        return builder;
    }

    /// <summary>
    /// X-Forwarded-For/-Proto from the proxies in <c>Proxy:KnownProxies</c> / <c>Proxy:KnownNetworks</c> only (none by
    /// default): first in the pipeline, so rate limits, logs and sign-in see the real client address.
    /// </summary>
    public static WebApplication UseChatBotForwardedHeaders(this WebApplication app)
    {
        // ASP.NET Core's middleware trusts every peer when its proxy lists are empty, and a peer without an address
        // (in-process callers): so it runs only when proxies are configured, and only for requests with a peer address.
        var proxy = app.Services.GetRequiredService<IOptions<ProxyOptions>>().Value;
        if (proxy.KnownProxies.Length > 0 || proxy.KnownNetworks.Length > 0)
            app.UseWhen(context => context.Connection.RemoteIpAddress is not null, branch => branch.UseForwardedHeaders());
        return app;
    }

    /// <summary>
    /// Middleware first (so every response carries the security headers and forwarded addresses are resolved before
    /// anything reads them), then the console pages and <c>/</c> → <c>/admin</c>.
    /// </summary>
    public static WebApplication MapChatBotConsole(this WebApplication app)
    {
        app.UseChatBotSecurityHeaders();
        app.UseStaticFiles();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapRazorPages();
        app.MapGet("/", () => Results.Redirect("/admin")).ExcludeFromDescription();
        return app;
    }
}
