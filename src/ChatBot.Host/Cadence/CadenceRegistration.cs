using ChatBot.Host.Schedules;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ChatBot.Host.Cadence;

public static class CadenceRegistration
{
    /// <summary>三会一课 / 主题党日 cadence: rules service, notifier, the two scheduled tasks.</summary>
    public static WebApplicationBuilder AddCadence(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<CadenceService>();
        services.TryAddSingleton<NotificationTemplates>();
        services.AddSingleton<CadenceNotifier>();
        services.AddScheduledTask<CadenceAlertsTask>();
        services.AddScheduledTask<CadenceWeeklyNoteTask>();
        return builder;
    }
}
