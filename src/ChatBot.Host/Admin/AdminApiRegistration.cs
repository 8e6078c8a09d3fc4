using ChatBot.Host.Api;

namespace ChatBot.Host.Admin;

public static class AdminApiRegistration
{
    public static WebApplicationBuilder AddChatBotAdminApi(this WebApplicationBuilder builder)
    {
        builder.Services.AddAuthentication()
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ConsoleAuth.ApiKeyScheme, null);
        builder.Services.AddAuthorizationBuilder().AddPolicy(ConsoleAuth.ApiPolicy, p => p
            // A console user's cookie or an API key; the challenge of both is a 401 for /api (see ConsoleRegistration).
            .AddAuthenticationSchemes(ConsoleAuth.CookieScheme, ConsoleAuth.ApiKeyScheme)
            .RequireAuthenticatedUser()
            .RequireRole(nameof(ChatBot.Core.Domain.AdminRole.Admin), nameof(ChatBot.Core.Domain.AdminRole.Secretary))
            .RequireClaim(OrganisationScope.OrganisationPathClaim));
        // Enums travel as names ("DingTalk", "Markdown") in the JSON API: readable and stable across reorderings.
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter()));
        builder.Services.AddScoped<BindingReviewService>();
        builder.Services.AddScoped<ApiKeyService>();
        builder.Services.AddSingleton<ApiKeyRevocations>();
        builder.Services.AddOrganisationScope();
        return builder;
    }

    /// <summary>
    /// <c>GET /api/v1/bindings/pending[?organisationId=]</c>, <c>POST /api/v1/bindings/{identityId}/confirm</c> and
    /// <c>/reject</c>: the review of name + phone binding requests, limited to the caller's <see cref="OrganisationScope"/>.
    /// </summary>
    public static RouteGroupBuilder MapBindingsApi(this RouteGroupBuilder api)
    {
        var bindings = api.MapGroup("/bindings").WithTags("Bindings");
        bindings.MapGet("/pending", async (int? organisationId, OrganisationScope scope, BindingReviewService reviews, CancellationToken ct) =>
            TypedResults.Ok(await reviews.ListPendingAsync(scope, organisationId, ct)));
        bindings.MapPost("/{identityId:int}/confirm", async (int identityId, OrganisationScope scope, BindingReviewService reviews, CancellationToken ct) =>
            ToResult(await reviews.ConfirmAsync(scope, identityId, ct)))
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        bindings.MapPost("/{identityId:int}/reject", async (int identityId, OrganisationScope scope, BindingReviewService reviews, CancellationToken ct) =>
            ToResult(await reviews.RejectAsync(scope, identityId, ct)))
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return api;
    }

    private static IResult ToResult(ReviewOutcome outcome) => outcome switch
    {
        ReviewOutcome.Done => Results.NoContent(),
        ReviewOutcome.MemberTaken => ApiProblems.Conflict("member already has a bound account on this channel"),
        _ => ApiProblems.NotFound("no pending binding with this id"),
    };
}
