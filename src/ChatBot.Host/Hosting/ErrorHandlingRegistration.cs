namespace ChatBot.Host.Hosting;

public static class ErrorHandlingRegistration
{
    /// <summary>
    /// Unhandled errors answer RFC 7807 problem details (<c>application/problem+json</c>, status 500, a
    /// <c>traceId</c> to find the logged exception) instead of a bare 500 or, in Development, a stack trace.
    /// </summary>
    public static WebApplicationBuilder AddChatBotErrorHandling(this WebApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails();
        return builder;
    }

    /// <summary>
    /// Outside Development the exception handler answers with problem details that carry no exception text: messages
    /// quote connection strings, SQL and member data. In Development the framework's developer page stays, with
    /// the stack trace a developer wants.
    /// </summary>
    public static WebApplication UseChatBotErrorHandling(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment())
            app.UseExceptionHandler();
        return app;
    }
}
