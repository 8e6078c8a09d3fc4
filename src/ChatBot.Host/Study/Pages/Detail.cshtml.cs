using ChatBot.Core.Conversation;
using ChatBot.Host.Admin;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ChatBot.Host.Study.Pages;

/// <summary>One task: progress per member, grouped by branch; 立即提醒 for those pending.</summary>
public sealed class DetailModel(StudyConsoleService study, OrganisationScope scope, DisplayTime display) : PageModel
{
    [BindProperty(SupportsGet = true)] public int Id { get; set; }
    public StudyTaskDetail Task { get; private set; } = null!;
    public string? Message { get; private set; }
    public DisplayTime Display => display;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) => await LoadAsync(ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostRemindAsync(CancellationToken ct)
    {
        var sent = await study.RemindAsync(scope, Id, ct);
        if (sent is null) return NotFound();
        Message = sent > 0 ? $"已向 {sent} 名未完成的党员发送提醒" : "今天已提醒过未完成的党员，没有重复发送";
        return await LoadAsync(ct) ? Page() : NotFound();
    }

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        var detail = await study.GetAsync(scope, Id, ct);
        if (detail is null) return false;
        Task = detail;
        return true;
    }
}
