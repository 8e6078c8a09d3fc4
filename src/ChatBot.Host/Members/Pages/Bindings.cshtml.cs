using ChatBot.Host.Admin;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ChatBot.Host.Members.Pages;

/// <summary>绑定审核: name + phone binding requests waiting in scope; confirm or reject (audited by the review service).</summary>
public sealed class BindingsModel(BindingReviewService reviews, OrganisationScope scope) : PageModel
{
    public IReadOnlyList<PendingBinding> Pending { get; private set; } = [];
    public string? Message { get; private set; }
    public string? Error { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => Pending = await reviews.ListPendingAsync(scope, null, ct);

    public Task<IActionResult> OnPostConfirmAsync(int identityId, CancellationToken ct) =>
        RunAsync(reviews.ConfirmAsync(scope, identityId, ct), "已确认绑定，并已通知该党员。", ct);

    public Task<IActionResult> OnPostRejectAsync(int identityId, CancellationToken ct) =>
        RunAsync(reviews.RejectAsync(scope, identityId, ct), "已拒绝该绑定申请。", ct);

    private async Task<IActionResult> RunAsync(Task<ReviewOutcome> review, string done, CancellationToken ct)
    {
        switch (await review)
        {
            case ReviewOutcome.Done:
                Message = done;
                break;
            case ReviewOutcome.MemberTaken:
                Error = "该党员在这个平台上已经绑定了另一个账号，请先让其解绑。";
                Response.StatusCode = StatusCodes.Status409Conflict;
                break;
            default:
                return NotFound();
        }
        Pending = await reviews.ListPendingAsync(scope, null, ct);
        return Page();
    }
}
