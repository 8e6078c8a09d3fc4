using ChatBot.Core.Conversation;
using ChatBot.Core.Domain;
using ChatBot.Host.Admin;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ChatBot.Host.Activities.Pages;

/// <summary>活动: the scope's activities (upcoming / past / all) and the create form.</summary>
public sealed class IndexModel(ActivityConsoleService activities, OrganisationScope scope, DisplayTime display, TimeProvider time) : PageModel
{
    public const int PageSize = 50;
    [BindProperty(SupportsGet = true)] public ActivityListFilter Filter { get; set; }
    [BindProperty(SupportsGet = true, Name = "p")] public int PageNumber { get; set; } = 1;
    [BindProperty] public ActivityForm Form { get; set; } = new();
    public IReadOnlyList<ActivityRow> Items { get; private set; } = [];
    public int Total { get; private set; }
    public IReadOnlyList<(int Id, string Name)> Organisations { get; private set; } = [];
    public string? Error { get; private set; }
    public string? ErrorField { get; private set; }
    public DisplayTime Display => display;

    public async Task OnGetAsync(CancellationToken ct)
    {
        var start = display.ToLocal(time.GetUtcNow().UtcDateTime).Date.AddDays(7).AddHours(9);
        Form = new ActivityForm { OrganisationId = scope.OrganisationId, StartsAt = start, EndsAt = start.AddHours(2), SignUpDeadline = start.AddDays(-1) };
        await LoadAsync(ct);
    }

    public async Task<IActionResult> OnPostCreateAsync(CancellationToken ct)
    {
        try
        {
            var id = await activities.CreateAsync(scope, Form.ToInput(display), ct);
            if (id is null) return NotFound();
            return Redirect($"/admin/activities/{id}");
        }
        catch (RuleViolation ex)
        {
            Error = ex.Message;
            ErrorField = ex.Field;
            Response.StatusCode = StatusCodes.Status400BadRequest;
            await LoadAsync(ct);
            return Page();
        }
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Organisations = await activities.OrganisationsAsync(scope, ct);
        PageNumber = Math.Max(1, PageNumber);
        (Items, Total) = await activities.ListAsync(scope, Filter, (PageNumber - 1) * PageSize, PageSize, ct);
    }
}
