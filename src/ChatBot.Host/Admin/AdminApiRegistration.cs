namespace ChatBot.Host.Admin;

public static class AdminApiRegistration
{
    public static WebApplicationBuilder AddChatBotAdminApi(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<AdminApiOptions>().BindConfiguration(AdminApiOptions.SectionName);
        // Enums travel as names ("DingTalk", "Markdown") in the JSON API: readable and stable across reorderings.
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter()));
        builder.Services.AddScoped<BindingReviewService>();
        builder.Services.AddOrganisationScope();
        return builder;
    }

    /// <summary>
    /// <c>GET /api/bindings/pending[?organisationId=]</c>, <c>POST /api/bindings/{identityId}/confirm</c> and
    /// <c>/reject</c>: the review of name + phone binding requests, behind <see cref="AdminApiGuard"/>.
    /// </summary>
    public static WebApplication MapChatBotAdminApi(this WebApplication app)
    {
        var bindings = app.MapGroup("/api/bindings").RequireAdminApiAccess();
        bindings.MapGet("/pending", async (int? organisationId, BindingReviewService reviews, CancellationToken ct) =>
            Results.Ok(await reviews.ListPendingAsync(organisationId, ct)));
        bindings.MapPost("/{identityId:int}/confirm", async (int identityId, BindingReviewService reviews, CancellationToken ct) =>
            ToResult(await reviews.ConfirmAsync(identityId, ct)));
        bindings.MapPost("/{identityId:int}/reject", async (int identityId, BindingReviewService reviews, CancellationToken ct) =>
            ToResult(await reviews.RejectAsync(identityId, ct)));
        return app;
    }

    private static IResult ToResult(ReviewOutcome outcome) => outcome switch
    {
        ReviewOutcome.Done => Results.NoContent(),
        ReviewOutcome.MemberTaken => Results.Conflict(new { error = "member already has a bound account on this channel" }),
        _ => Results.NotFound(new { error = "no pending binding with this id" }),
    };
}
