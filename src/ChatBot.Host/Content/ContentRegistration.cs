namespace ChatBot.Host.Content;

public static class ContentRegistration
{
    /// <summary>内容: the console pages under <c>/admin/content</c> (Razor Pages in this folder) and their service.</summary>
    public static WebApplicationBuilder AddContent(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<ContentService>();
        return builder;
    }
}
