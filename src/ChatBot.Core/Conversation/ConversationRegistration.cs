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
        services.AddScoped<IConversationEngine>(sp => new DedupingConversationEngine(
            sp.GetRequiredService<ConversationEngine>(),
            sp.GetRequiredService<Ports.IDedupeStore>(),
            sp.GetRequiredService<TimeProvider>()));
        return services;
    }
}
