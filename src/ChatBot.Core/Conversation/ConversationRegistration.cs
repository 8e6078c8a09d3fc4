using ChatBot.Core.Conversation.Handlers;
using Microsoft.Extensions.DependencyInjection;

namespace ChatBot.Core.Conversation;

public static class ConversationRegistration
{
    /// <summary>
    /// The engine and its handlers. The host supplies the feature ports (IMemberDirectory, IStudyService, …),
    /// IReplyTemplates, the shared-state ports, a TimeProvider and a <see cref="DisplayTime"/>.
    /// </summary>
    public static IServiceCollection AddConversationEngine(this IServiceCollection services)
    {
        services.AddSingleton<CommandTable>();
        services.AddScoped<SessionState>();
        services.AddSingleton<GuessLimiter>();
        services.AddScoped<Handlers.EventHandler>();
        services.AddScoped<HelpHandler>();
        services.AddScoped<BindingHandler>();
        services.AddScoped<StudyHandler>();
        services.AddScoped<ActivityHandler>();
        services.AddScoped<PointsHandler>();
        services.AddScoped<PolicyHandler>();
        services.AddScoped<ProgressHandler>();
        services.AddScoped<ConversationEngine>();
        // Channels that keep their own per-message record (WeChat's reply coordinator) use the engine without dedupe,
        // so a message costs one parked record, not two.
        services.AddKeyedScoped<IConversationEngine>(ConversationEngines.WithoutDedupe, (sp, _) => sp.GetRequiredService<ConversationEngine>());
        services.AddScoped<IConversationEngine>(sp => new DedupingConversationEngine(
            sp.GetRequiredService<ConversationEngine>(),
            sp.GetRequiredService<Ports.IDedupeStore>(),
            sp.GetRequiredService<TimeProvider>()));
        return services;
    }
}

public static class ConversationEngines
{
    /// <summary>Service key of the engine without <see cref="DedupingConversationEngine"/> around it.</summary>
    public const string WithoutDedupe = "without-dedupe";
}
