namespace ChatBot.Host.Study;

public static class StudyRegistration
{
    /// <summary>The console's study tasks (学习任务). Needs AddChatBotData, AddChatBotDelivery (outbox) and the features (member links, templates).</summary>
    public static WebApplicationBuilder AddStudyTasks(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<StudyConsoleService>();
        return builder;
    }
}
