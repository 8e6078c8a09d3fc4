using ChatBot.Core.Configuration;

namespace ChatBot.Host.Schedules;

public static class SchedulesRegistration
{
    public static WebApplicationBuilder AddSchedules(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddAnnotatedOptions<SchedulesOptions>(SchedulesOptions.SectionName);
        services.AddSingleton<NotificationTemplates>();
        services.AddSingleton<ScheduleOutbox>();
        services.AddSingleton<ScheduleRunner>();
        services.AddTransient<ScheduleCronJob>();
        services.AddSingleton<ScheduleRegistrar>();
        services.AddHostedService(sp => sp.GetRequiredService<ScheduleRegistrar>());
        services.AddScoped<SchedulesService>();
        services.AddScheduledTask<PolicyDigestTask>();
        services.AddScheduledTask<LessonSeriesTask>();
        services.AddScheduledTask<StudyRemindersTask>();
        services.AddScheduledTask<ActivityRemindersTask>();
        return builder;
    }

    /// <summary>
    /// <c>/api/v1/schedules</c>: list, create an override for a subtree, change (cron, enabled, parameters, name),
    /// delete an override, the next run times (local), run now. Scoped to the caller's subtree and audited.
    /// </summary>
    public static RouteGroupBuilder MapSchedulesApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/schedules");
        group.MapGet("/", async (SchedulesService service, CancellationToken ct) => Results.Ok(await service.ListAsync(ct)));
        group.MapPost("/", (CreateScheduleRequest? request, SchedulesService service, CancellationToken ct) => service.CreateAsync(request, ct));
        group.MapGet("/{id:int}", async (int id, SchedulesService service, CancellationToken ct) =>
            await service.GetAsync(id, ct) is { } view ? Results.Ok(view) : Results.NotFound());
        group.MapPut("/{id:int}", (int id, UpdateScheduleRequest? request, SchedulesService service, CancellationToken ct) =>
            service.UpdateAsync(id, request, ct));
        group.MapDelete("/{id:int}", (int id, SchedulesService service, CancellationToken ct) => service.DeleteAsync(id, ct));
        group.MapGet("/{id:int}/next", (int id, int? count, SchedulesService service, CancellationToken ct) =>
            service.NextAsync(id, count ?? 5, ct));
        group.MapGet("/{id:int}/runs", async (int id, SchedulesService service, CancellationToken ct) =>
            await service.GetAsync(id, ct) is null ? Results.NotFound() : Results.Ok(await service.RunsAsync(id, 20, ct)));
        group.MapPost("/{id:int}/run-now", (int id, SchedulesService service, CancellationToken ct) => service.RunNowAsync(id, ct));
        return api;
    }
}
