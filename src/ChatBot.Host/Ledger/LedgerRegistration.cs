using ChatBot.Host.Dashboard;
using ChatBot.Host.GroupChats;
using ChatBot.Host.Members;
using ChatBot.Host.Organisations;

namespace ChatBot.Host.Ledger;

public static class LedgerRegistration
{
    /// <summary>
    /// The console's ledger services (organisation tree, members, CSV import, binding codes, dashboard, group chat
    /// console). Scoped: each works on the request's DbContext and takes the request's <c>OrganisationScope</c> as an
    /// argument. Needs AddChatBotData and AddGroupChats.
    /// </summary>
    public static WebApplicationBuilder AddConsoleLedger(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddScoped<OrganisationTreeService>();
        services.AddScoped<MemberLedgerService>();
        services.AddScoped<MemberCsvImporter>();
        services.AddScoped<BindingCodeService>();
        services.AddScoped<MemberImportRunner>();
        services.AddScoped<DashboardService>();
        services.AddScoped<GroupChatConsoleService>();
        return builder;
    }
}
