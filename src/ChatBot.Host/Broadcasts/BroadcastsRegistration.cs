using ChatBot.Core.Configuration;
using ChatBot.Host.Admin;
using ChatBot.Host.Api;
using ChatBot.Host.Delivery;

namespace ChatBot.Host.Broadcasts;

public static class BroadcastsRegistration
{
    public static WebApplicationBuilder AddBroadcasts(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddAnnotatedOptions<BroadcastsOptions>(BroadcastsOptions.SectionName);
        services.AddSingleton<BroadcastRoutingPolicy>();
        services.AddSingleton<BroadcastComposer>();
        services.AddSingleton<BroadcastRunner>();
        services.AddScoped<BroadcastService>();
        services.AddTransient<BroadcastCronJob>();
        services.AddSingleton<BroadcastScheduler>();
        services.AddHostedService(sp => sp.GetRequiredService<BroadcastScheduler>());
        // The compose page answers both /admin/broadcasts/new and a draft's edit route.
        services.Configure<Microsoft.AspNetCore.Mvc.RazorPages.RazorPagesOptions>(o =>
            o.Conventions.AddPageRoute("/Broadcasts/Pages/Compose", "/admin/broadcasts/{id:int}/edit"));
        return builder;
    }

    /// <summary>
    /// <c>/api/v1/broadcasts</c>: draft, read, preflight, confirm, pause, resume, cancel, report (JSON or CSV), resend
    /// failed; behind <see cref="AdminApiGuard"/> like the other <c>/api</c> endpoints.
    /// </summary>
    public static RouteGroupBuilder MapBroadcastsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/broadcasts").WithTags("Broadcasts");
        group.MapPost("", (CreateBroadcastRequest? request, BroadcastService service, HttpContext http, CancellationToken ct) =>
            service.CreateAsync(request, ScopeOf(http), ct))
            .Produces<BroadcastCreated>(StatusCodes.Status201Created).ProducesValidationProblem().WithIdempotencyKey();
        group.MapGet("/{id:int}", (int id, BroadcastService service, HttpContext http, CancellationToken ct) =>
            service.GetAsync(id, ScopeOf(http), ct))
            .Produces<BroadcastView>().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{id:int}/preflight", (int id, BroadcastService service, HttpContext http, CancellationToken ct) =>
            service.PreflightAsync(id, ScopeOf(http), ct))
            .Produces<PreflightView>().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{id:int}/confirm", (int id, ConfirmRequest? request, BroadcastService service, HttpContext http, CancellationToken ct) =>
            service.ConfirmAsync(id, request, ScopeOf(http), ct))
            .Produces<BroadcastView>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .WithIdempotencyKey();
        group.MapPost("/{id:int}/pause", (int id, BroadcastService service, HttpContext http, CancellationToken ct) =>
            service.PauseAsync(id, ScopeOf(http), ct))
            .Produces<BroadcastView>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPost("/{id:int}/resume", (int id, BroadcastService service, HttpContext http, CancellationToken ct) =>
            service.ResumeAsync(id, ScopeOf(http), ct))
            .Produces<BroadcastView>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPost("/{id:int}/cancel", (int id, BroadcastService service, HttpContext http, CancellationToken ct) =>
            service.CancelAsync(id, ScopeOf(http), ct))
            .Produces<BroadcastView>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapGet("/{id:int}/report", (int id, string? format, int? runId, int? page, int? pageSize, string? status, BroadcastService service, HttpContext http, CancellationToken ct) =>
            format switch
            {
                null or "" or "json" => service.ReportAsync(id, runId, page ?? 1, pageSize ?? 100, ScopeOf(http), ct, status),
                "csv" => service.ReportCsvAsync(id, runId, ScopeOf(http), ct),
                _ => Task.FromResult(Results.ValidationProblem(new Dictionary<string, string[]> { ["format"] = ["format is json or csv"] })),
            })
            .Produces<ReportView>().Produces(StatusCodes.Status200OK, contentType: "text/csv").ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{id:int}/resend-failed", (int id, ResendRequest? request, BroadcastService service, HttpContext http, CancellationToken ct) =>
            service.ResendFailedAsync(id, request, ScopeOf(http), ct))
            .Produces(StatusCodes.Status200OK).Produces(StatusCodes.Status201Created).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .WithIdempotencyKey();
        return api;
    }

    /// <summary>What creating a draft answers.</summary>
    public sealed record BroadcastCreated(int Id, string Status);

    /// <summary>The signed-in admin's or API key's scope; none is a 401 (<see cref="NoScopeException"/>), never root scope.</summary>
    private static OrganisationScope ScopeOf(HttpContext http) => http.RequireScope();
}
