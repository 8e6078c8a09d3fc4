using System.Text.Json;
using ChatBot.Core.Domain;
using ChatBot.Host.Admin;
using ChatBot.Host.Ledger;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ChatBot.Host.Dashboard;

/// <summary>工作台 for the signed-in admin's scope.</summary>
public sealed class IndexModel(DashboardService dashboard, OrganisationScope scope) : PageModel
{
    public DashboardView View { get; private set; } = null!;
    public OrganisationScope Scope => scope;

    public async Task OnGetAsync(CancellationToken ct) => View = await dashboard.GetAsync(scope, ct);

    /// <summary>Chart data for wwwroot/js/dashboard.js, carried in a JSON script element (the CSP forbids inline script).</summary>
    public string ChartJson()
    {
        var statuses = new[] { DeliveryStatus.Sent, DeliveryStatus.Failed, DeliveryStatus.Skipped, DeliveryStatus.Unknown, DeliveryStatus.Pending };
        var data = new
        {
            branches = View.Branches.Select(b => b.Name).ToArray(),
            completion = View.Branches.Select(b => b.CompletionPercent).ToArray(),
            bound = View.Branches.Select(b => b.Bound).ToArray(),
            unbound = View.Branches.Select(b => b.Members - b.Bound).ToArray(),
            days = View.Month.Select(d => d.Day.ToString("MM-dd")).ToArray(),
            deliveries = statuses.Select(s => new { name = LedgerLabels.Delivery(s), status = s.ToString(), data = View.Month.Select(d => d.ByStatus[s]).ToArray() }).ToArray(),
        };
        return JsonSerializer.Serialize(data);
    }
}
