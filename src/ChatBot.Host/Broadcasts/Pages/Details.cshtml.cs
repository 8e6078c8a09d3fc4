using ChatBot.Host.Admin;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ChatBot.Host.Broadcasts.Pages;

/// <summary>
/// One broadcast: its settings, live progress (an htmx partial polled every 2 s while anything is open), pause / resume
/// / cancel, the per-recipient report paged and filtered by status, CSV export and resend failed.
/// </summary>
public sealed class DetailsModel(BroadcastService broadcasts, BroadcastRoutingPolicy routing, OrganisationScope scope, TimeProvider time) : PageModel
{
    public const int PageSize = 50;

    [BindProperty(SupportsGet = true)] public int Id { get; set; }
    [BindProperty(SupportsGet = true)] public string? Status { get; set; }
    [BindProperty(SupportsGet = true, Name = "page")] public int PageNumber { get; set; } = 1;
    [BindProperty(SupportsGet = true)] public int? RunId { get; set; }
    public BroadcastView Broadcast { get; private set; } = null!;
    public ReportView Report { get; private set; } = null!;
    public string? Message { get; private set; }
    public string? Error { get; private set; }
    public TimeZoneInfo Zone => routing.TimeZone;
    public IReadOnlyList<DateTime> NextRuns { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        Message = TempData["broadcast-message"] as string;
        Error = TempData["broadcast-error"] as string;
        return await LoadAsync(ct) ? Page() : NotFound();
    }

    /// <summary>htmx: the progress block alone (counts, bar, status); it stops polling once nothing is open.</summary>
    public async Task<IActionResult> OnGetProgressAsync(CancellationToken ct)
    {
        var report = BroadcastConsole.Unwrap<ReportView>(await broadcasts.ReportAsync(Id, RunId, 1, 1, scope, ct));
        if (report.Value is null) return NotFound();
        return Partial("_Progress", report.Value);
    }

    public async Task<IActionResult> OnGetCsvAsync(CancellationToken ct) =>
        await BroadcastConsole.ExecuteAsync(await broadcasts.ReportCsvAsync(Id, RunId, scope, ct), HttpContext);

    public Task<IActionResult> OnPostPauseAsync(CancellationToken ct) => ActAsync(() => broadcasts.PauseAsync(Id, scope, ct), "已暂停：尚未发出的消息暂不发送。");
    public Task<IActionResult> OnPostResumeAsync(CancellationToken ct) => ActAsync(() => broadcasts.ResumeAsync(Id, scope, ct), "已继续发送。");
    public Task<IActionResult> OnPostCancelAsync(CancellationToken ct) => ActAsync(() => broadcasts.CancelAsync(Id, scope, ct), "已取消：未发出的消息不再发送，已发出的不受影响。");

    public Task<IActionResult> OnPostResendAsync(bool includeUnknown, CancellationToken ct) =>
        ActAsync(() => broadcasts.ResendFailedAsync(Id, new ResendRequest { IncludeUnknown = includeUnknown }, scope, ct), "已重新发送失败的消息。");

    private async Task<IActionResult> ActAsync(Func<Task<IResult>> action, string done)
    {
        var outcome = BroadcastConsole.Unwrap<object>(await action());
        if (outcome.NotFound) return NotFound();
        if (outcome.Ok) TempData["broadcast-message"] = done;
        else TempData["broadcast-error"] = outcome.Status == StatusCodes.Status409Conflict ? "无法执行：" + ConflictText(outcome.Message) : outcome.ErrorText;
        return Redirect($"/admin/broadcasts/{Id}");
    }

    private static string ConflictText(string? detail) => detail switch
    {
        null => "状态已变化",
        _ when detail.Contains("no Failed", StringComparison.Ordinal) => "最近一次发送没有失败的消息",
        _ when detail.Contains("not run yet", StringComparison.Ordinal) => "尚未发送",
        _ when detail.Contains("paused", StringComparison.Ordinal) => "没有暂停中的发送",
        _ when detail.Contains("sending", StringComparison.Ordinal) => "没有正在发送的批次",
        _ => detail,
    };

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        var view = BroadcastConsole.Unwrap<BroadcastView>(await broadcasts.GetAsync(Id, scope, ct));
        if (view.Value is null) return false;
        Broadcast = view.Value;
        PageNumber = Math.Max(1, PageNumber);
        if (Status is not null && !BroadcastService.ReportStatuses.Contains(Status)) Status = null;
        var report = BroadcastConsole.Unwrap<ReportView>(await broadcasts.ReportAsync(Id, RunId, PageNumber, PageSize, scope, ct, Status, revealPhones: scope.IsSuperAdmin));
        if (report.Value is null && RunId is not null)
        {
            RunId = null;
            report = BroadcastConsole.Unwrap<ReportView>(await broadcasts.ReportAsync(Id, null, PageNumber, PageSize, scope, ct, Status, revealPhones: scope.IsSuperAdmin));
        }
        if (report.Value is null) return false;
        Report = report.Value;
        if (Broadcast.Cron is not null && Broadcast.Status == "Scheduled")
            NextRuns = BroadcastConsole.NextRuns(Broadcast.Cron, time.GetUtcNow().UtcDateTime, Zone);
        return true;
    }

    public string PageUrl(string? status, int page) =>
        $"/admin/broadcasts/{Id}?page={page}" + (status is null ? "" : $"&status={status}") + (RunId is null ? "" : $"&runId={RunId}");
}
