using ChatBot.Core.Conversation;
using ChatBot.Core.Domain;
using ChatBot.Host.Admin;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ChatBot.Host.Activities.Pages;

/// <summary>One activity: edit, the sign-up list with the waitlist in order, no-shows, cancel.</summary>
public sealed class EditModel(ActivityConsoleService activities, OrganisationScope scope, DisplayTime display, TimeProvider time) : PageModel
{
    [BindProperty(SupportsGet = true)] public int Id { get; set; }
    [BindProperty] public ActivityForm Form { get; set; } = new();
    public ActivityDetail Activity { get; private set; } = null!;
    public IReadOnlyList<(int Id, string Name)> Organisations { get; private set; } = [];
    public string? Message { get; private set; }
    public string? Error { get; private set; }
    public string? ErrorField { get; private set; }
    public DisplayTime Display => display;
    public DateTime NowUtc => time.GetUtcNow().UtcDateTime;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct)) return NotFound();
        Form = ActivityForm.From(Activity, display);
        return Page();
    }

    public Task<IActionResult> OnPostSaveAsync(CancellationToken ct) => RunAsync(async () =>
        await activities.UpdateAsync(scope, Id, Form.ToInput(display), ct) is null ? null : "已保存", keepForm: true, ct);

    public Task<IActionResult> OnPostCancelAsync(string? reason, CancellationToken ct) => RunAsync(async () =>
        await activities.CancelAsync(scope, Id, reason, ct) is { } n ? $"活动已取消，已通知 {n} 名报名党员" : null, keepForm: false, ct);

    public Task<IActionResult> OnPostNoShowAsync(int signUpId, bool noShow, CancellationToken ct) => RunAsync(async () =>
        await activities.SetNoShowAsync(scope, Id, signUpId, noShow, ct) is null ? null : noShow ? "已标记缺席" : "已撤销缺席标记", keepForm: false, ct);

    public Task<IActionResult> OnPostAllNoShowsAsync(CancellationToken ct) => RunAsync(async () =>
        await activities.MarkAllNoShowsAsync(scope, Id, ct) is { } n ? $"已将 {n} 名未签到党员标记为缺席" : null, keepForm: false, ct);

    private async Task<IActionResult> RunAsync(Func<Task<string?>> action, bool keepForm, CancellationToken ct)
    {
        try
        {
            Message = await action();
            if (Message is null) return NotFound();
        }
        catch (RuleViolation ex)
        {
            Error = ex.Message;
            ErrorField = ex.Field;
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }
        if (!await LoadAsync(ct)) return NotFound();
        if (!keepForm || Error is null) Form = ActivityForm.From(Activity, display);
        return Page();
    }

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        var detail = await activities.GetAsync(scope, Id, ct);
        if (detail is null) return false;
        Activity = detail;
        Organisations = await activities.OrganisationsAsync(scope, ct);
        return true;
    }
}
