using ChatBot.Host.Api;

namespace ChatBot.Host.Hosting;

public static class ErrorHandlingRegistration
{
    /// <summary>
    /// Errors answer RFC 9457 problem details (<c>application/problem+json</c>, a <c>traceId</c> to find the logged
    /// exception) instead of a bare status or, outside Development, a stack trace.
    /// </summary>
    public static WebApplicationBuilder AddChatBotErrorHandling(this WebApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = context =>
        {
            // The request's trace id (ProblemDetailsDefaults adds it too; set here so every writer has it).
            context.ProblemDetails.Extensions.TryAdd("traceId", System.Diagnostics.Activity.Current?.Id ?? context.HttpContext.TraceIdentifier);
            context.ProblemDetails.Instance ??= context.HttpContext.Request.Path;
        });
        // A body that cannot be read is a BadHttpRequestException in every environment, answered as a 400 problem
        // by UseApiProblemDetails (by default only Development throws; elsewhere it is a silent empty 400).
        builder.Services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        return builder;
    }

    /// <summary>
    /// Outside Development the exception handler answers with problem details that carry no exception text: messages
    /// quote connection strings, SQL and member data. In Development the framework's developer page stays for the
    /// console, with the stack trace a developer wants; <c>/api</c> answers problem details in every environment.
    /// </summary>
    public static WebApplication UseChatBotErrorHandling(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment())
            app.UseExceptionHandler();
        app.UseApiProblemDetails();
        return app;
    }
}
