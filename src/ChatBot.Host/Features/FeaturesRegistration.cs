using ChatBot.Core.Configuration;
using ChatBot.Core.Conversation;
using ChatBot.Core.Features;
using ChatBot.Core.Search;
using ChatBot.Host.Configuration;
using ChatBot.Host.MemberPages;
using ChatBot.Host.Templates;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ChatBot.Host.Features;

public static class FeaturesRegistration
{
    /// <summary>The conversation engine, the database-backed services it uses, templates, search and member pages.</summary>
    public static WebApplicationBuilder AddChatBotConversation(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddAnnotatedOptions<MemberPagesOptions>(MemberPagesOptions.SectionName);
        services.AddDataProtection();

        services.AddConversationEngine();
        services.AddSingleton(sp => new DisplayTime(sp.GetRequiredService<IOptions<SchedulingOptions>>().Value.ResolveTimeZone()));
        services.AddSingleton(TemplateFolder.Default());
        services.AddSingleton<LiquidRenderer>();
        services.AddSingleton<IReplyTemplates, LiquidReplyTemplates>();
        services.AddMemberPages();
        services.AddSingleton<SignedMemberLinks>();
        services.AddSingleton<IMemberLinks>(sp => sp.GetRequiredService<SignedMemberLinks>());

        services.AddSingleton<SenderCache>();
        services.AddScoped<EfMemberDirectory>();
        services.AddScoped<IMemberDirectory>(sp => sp.GetRequiredService<EfMemberDirectory>());
        services.AddScoped<IGroupDirectory>(sp => sp.GetRequiredService<EfMemberDirectory>());
        services.AddScoped<IActivityService, EfActivityService>();
        services.AddScoped<IPointsService, EfPointsService>();
        services.AddScoped<IStudyService, EfStudyService>();
        services.AddScoped<IDeliveryReports, EfDeliveryReports>();
        services.AddScoped<IMemberNotifier, OutboxMemberNotifier>();

        services.AddSingleton<PolicySearchIndex>();
        services.AddSingleton<IPolicySearch>(sp => sp.GetRequiredService<PolicySearchIndex>());
        services.AddSingleton<PolicyIndexRefresher>();
        services.AddHostedService(sp => sp.GetRequiredService<PolicyIndexRefresher>());
        return builder;
    }
}
