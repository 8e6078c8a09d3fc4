using ChatBot.Core.Domain;
using ChatBot.Host.Admin;
using ChatBot.Host.Organisations;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace ChatBot.Host.Broadcasts.Pages;

/// <summary>
/// 新建推送 (<c>/admin/broadcasts/new</c>) and editing a draft (<c>/admin/broadcasts/{id}/edit</c>, added as a second
/// route in <see cref="BroadcastsRegistration"/>): title, Markdown with a server-rendered preview, content item,
/// audience over the organisation tree in scope, urgent, 群发, group chats.
/// </summary>
public sealed class ComposeModel(BroadcastService broadcasts, OrganisationTreeService tree, OrganisationScope scope) : PageModel
{
    public sealed class ComposeInput
    {
        public string? Title { get; set; }
        public string? Text { get; set; }
        public int? ContentItemId { get; set; }
        public List<int> OrganisationIds { get; set; } = [];
        public bool IncludeSubtrees { get; set; } = true;
        public List<string> Statuses { get; set; } = [];
        public bool MobileOnly { get; set; }
        public bool GroupChats { get; set; }
        public bool Urgent { get; set; }
        public bool MassSend { get; set; }
    }

    public sealed record ContentChoice(int Id, ContentKind Kind, string Title);

    [BindProperty(SupportsGet = true)] public int? Id { get; set; }
    [BindProperty] public ComposeInput Input { get; set; } = new();
    public IReadOnlyList<OrganisationNode> Organisations { get; private set; } = [];
    public IReadOnlyList<ContentChoice> ContentItems { get; private set; } = [];
    public string? Error { get; private set; }
    public string PreviewHtml => BroadcastConsole.RenderMarkdown(Input.Text);

    public static readonly string[] StatusNames = ["正式党员", "预备党员", "入党积极分子"];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (Id is { } id)
        {
            var found = BroadcastConsole.Unwrap<BroadcastView>(await broadcasts.GetAsync(id, scope, ct));
            if (found.Value is not { } view) return NotFound();
            if (view.Status != "Draft") return Redirect($"/admin/broadcasts/{id}");
            Input = new ComposeInput
            {
                Title = view.Title, Text = view.Text, ContentItemId = view.ContentItemId, OrganisationIds = view.Audience.OrganisationIds.ToList(),
                IncludeSubtrees = view.Audience.IncludeSubtrees, Statuses = view.Audience.Statuses.ToList(), MobileOnly = view.Audience.MobileOnly,
                GroupChats = view.Audience.GroupChats, Urgent = view.Urgent, MassSend = view.MassSend,
            };
        }
        else
        {
            Input.Statuses = ["正式党员", "预备党员"];
        }
        await LoadAsync(ct);
        return Page();
    }

    /// <summary>"保存并预检" (next=preflight) or "保存草稿".</summary>
    public async Task<IActionResult> OnPostSaveAsync(string? next, CancellationToken ct)
    {
        var request = new CreateBroadcastRequest
        {
            Title = Input.Title, Text = Input.Text, ContentItemId = Input.ContentItemId is > 0 ? Input.ContentItemId : null,
            Audience = new AudienceRequest
            {
                OrganisationIds = Input.OrganisationIds, IncludeSubtrees = Input.IncludeSubtrees, Statuses = Input.Statuses,
                MobileOnly = Input.MobileOnly, GroupChats = Input.GroupChats,
            },
            Urgent = Input.Urgent, MassSend = Input.MassSend,
        };
        int savedId;
        if (Id is { } id)
        {
            var updated = BroadcastConsole.Unwrap<BroadcastView>(await broadcasts.UpdateDraftAsync(id, request, scope, ct));
            if (updated.NotFound) return NotFound();
            if (!updated.Ok) return await FailAsync(updated.ErrorText, updated.Status, ct);
            savedId = id;
        }
        else
        {
            var created = BroadcastConsole.Unwrap<object>(await broadcasts.CreateAsync(request, scope, ct));
            if (!created.Ok) return await FailAsync(created.ErrorText, created.Status, ct);
            savedId = (int)BroadcastConsole.Property(created.Value, "id")!;
        }
        return Redirect(next == "preflight" ? $"/admin/broadcasts/{savedId}/preflight" : $"/admin/broadcasts/{savedId}");
    }

    /// <summary>htmx: the Markdown rendered as the preview pane shows it (raw HTML is escaped, never passed through).</summary>
    public IActionResult OnPostPreview() => Content(PreviewFragment(Input.Title, Input.Text), "text/html; charset=utf-8");

    public static string PreviewFragment(string? title, string? text) =>
        $"<h2 class=\"h6\">{System.Net.WebUtility.HtmlEncode(title ?? "")}</h2>{BroadcastConsole.RenderMarkdown(text)}";

    private async Task<IActionResult> FailAsync(string error, int status, CancellationToken ct)
    {
        Error = error;
        Response.StatusCode = status is 400 or 409 ? status : StatusCodes.Status400BadRequest;
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Organisations = await tree.ListAsync(scope, ct);
        ContentItems = await broadcasts.ContentItemsInScope(scope).OrderByDescending(c => c.PublishedAt).Take(300)
            .Select(c => new ContentChoice(c.Id, c.Kind, c.Title)).ToListAsync(ct);
    }
}
