using ChatBot.Core.Domain;
using ChatBot.Host.Admin;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ChatBot.Host.Content.Pages;

/// <summary>
/// One item: edit (draft, or published → back to draft), submit for review, approve / reject with a comment (someone
/// other than the author, submitter or last editor — the entity refuses otherwise, whatever the page showed), archive.
/// Outside scope → 404; a committee-wide item is read-only except for 超级管理员.
/// </summary>
public sealed class EditModel(ContentService content, OrganisationScope scope) : PageModel
{
    [BindProperty(SupportsGet = true)] public int Id { get; set; }
    [BindProperty] public ContentForm Form { get; set; } = new();
    public ContentItem Item { get; private set; } = null!;
    public string OrganisationName { get; private set; } = "";
    public IReadOnlyList<(int Id, string Name)> Organisations { get; private set; } = [];
    public IDictionary<string, string[]> Errors { get; private set; } = new Dictionary<string, string[]>();
    public string? Message { get; private set; }

    public bool MayChange => ContentService.MayChange(scope, Item);
    public bool Editable => MayChange && Item.Status is ContentStatus.Draft or ContentStatus.Published;
    public bool MayReview => MayChange && Item.Status == ContentStatus.Review && Item.MayBeReviewedBy(scope.Actor);
    public bool AllowCommitteeWide => scope.IsSuperAdmin;
    public string Actor => scope.Actor;

    public async Task<IActionResult> OnGetAsync(bool saved, CancellationToken ct)
    {
        if (!await LoadAsync(ct)) return NotFound();
        Form = ContentForm.From(Item);
        if (saved) Message = "已保存。";
        return Page();
    }

    public Task<IActionResult> OnPostSaveAsync(CancellationToken ct) =>
        RunAsync(content.UpdateAsync(scope, Id, Form.OrganisationIdValue, Form.ToDraft(), ct), "已保存。", keepForm: true, ct);

    public Task<IActionResult> OnPostSubmitAsync(CancellationToken ct) => RunAsync(content.SubmitAsync(scope, Id, ct), "已提交审核，请另一位管理员审核。", false, ct);

    public Task<IActionResult> OnPostApproveAsync(CancellationToken ct) => RunAsync(content.ApproveAsync(scope, Id, ct), "审核通过，已发布。", false, ct);

    public Task<IActionResult> OnPostRejectAsync(string? comment, CancellationToken ct) => RunAsync(content.RejectAsync(scope, Id, comment, ct), "已退回修改。", false, ct);

    public Task<IActionResult> OnPostArchiveAsync(CancellationToken ct) => RunAsync(content.ArchiveAsync(scope, Id, ct), "已归档：不再出现在搜索和党员页面中。", false, ct);

    private async Task<IActionResult> RunAsync(Task<ContentOutcome> change, string done, bool keepForm, CancellationToken ct)
    {
        var outcome = await change;
        if (outcome.Kind == ContentOutcomeKind.NotFound) return NotFound();
        if (!await LoadAsync(ct)) return NotFound();
        if (outcome.Kind == ContentOutcomeKind.Done)
        {
            Message = done;
            Form = ContentForm.From(Item);
            return Page();
        }
        Errors = outcome.Errors ?? new Dictionary<string, string[]>();
        if (!keepForm) Form = ContentForm.From(Item);
        Response.StatusCode = outcome.Kind == ContentOutcomeKind.Forbidden || Errors.ContainsKey("reviewer") ? StatusCodes.Status403Forbidden
            : Errors.ContainsKey("status") ? StatusCodes.Status409Conflict : StatusCodes.Status400BadRequest;
        return Page();
    }

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        if (await content.GetAsync(scope, Id, ct) is not { } item) return false;
        Item = item;
        OrganisationName = await content.OrganisationNameAsync(item.OrganisationId, ct) ?? "";
        Organisations = await content.OrganisationsAsync(scope, ct);
        return true;
    }
}
