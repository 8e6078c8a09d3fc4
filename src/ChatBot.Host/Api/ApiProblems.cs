using Microsoft.AspNetCore.Http.HttpResults;

namespace ChatBot.Host.Api;

/// <summary>
/// RFC 9457 problem details for the v1 API's own answers (the middleware in <see cref="ApiErrorHandling"/> covers
/// the framework's: 401, 403, 404 of unknown routes, 405, 415, unreadable bodies, unhandled errors).
/// </summary>
public static class ApiProblems
{
    public static ProblemHttpResult NotFound(string detail = "not found (or not in your scope)") =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status404NotFound, title: "Not Found");

    public static ProblemHttpResult Conflict(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status409Conflict, title: "Conflict");

    public static ProblemHttpResult Unprocessable(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status422UnprocessableEntity, title: "Unprocessable Content");

    /// <summary>A 400 naming the field (<c>errors: { field: [message] }</c>).</summary>
    public static ValidationProblem Validation(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] });

    public static ValidationProblem Validation(IDictionary<string, string[]> errors) => TypedResults.ValidationProblem(errors);
}

public static class ApiErrorHandling
{
    public static bool IsApiRequest(HttpRequest request) => request.Path.StartsWithSegments("/api");

    /// <summary>
    /// For <c>/api</c> only (console pages and /wechat keep their own behaviour): an unreadable request (bad JSON, a
    /// missing body) is a 400 problem naming what failed, an unhandled exception a 500 problem with a <c>traceId</c>
    /// and never the exception's text or stack, and any error status answered without a body (401, 403, 404 of an
    /// unknown route, 405, 415, …) gets a problem body.
    /// </summary>
    public static IApplicationBuilder UseApiProblemDetails(this IApplicationBuilder app) =>
        app.UseWhen(context => IsApiRequest(context.Request), api =>
        {
            api.Use(async (context, next) =>
            {
                Idempotency.BufferIfKeyed(context);
                try
                {
                    await next(context);
                }
                catch (Admin.NoScopeException) when (!context.Response.HasStarted)
                {
                    await WriteAsync(context, StatusCodes.Status401Unauthorized, "Unauthorized", "a signed-in console user or an API key is required");
                }
                catch (BadHttpRequestException ex) when (!context.Response.HasStarted)
                {
                    await WriteAsync(context, ex.StatusCode, Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(ex.StatusCode), ex.Message);
                }
                catch (Exception ex) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
                {
                    context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("ChatBot.Api")
                        .LogError(ex, "Unhandled error in {Method} {Path}", context.Request.Method, context.Request.Path);
                    await WriteAsync(context, StatusCodes.Status500InternalServerError, "Internal Server Error",
                        "The server could not complete the request; quote the traceId when reporting it.");
                }
            });
            api.UseStatusCodePages();
        });

    private static async Task WriteAsync(HttpContext context, int status, string title, string detail)
    {
        context.Response.Clear();
        context.Response.StatusCode = status;
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        });
    }
}
