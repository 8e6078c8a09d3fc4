namespace ChatBot.Host.Points;

public static class PointsRegistration
{
    /// <summary>The console's points (积分): rules, star levels, manual lines with a second admin's approval, ledger, branch aggregates. Needs AddChatBotData and AddChatBotConversation (DisplayTime).</summary>
    public static WebApplicationBuilder AddPointsConsole(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<PointsConsoleService>();
        return builder;
    }
}
