using ChatBot.Core.Domain;
using ChatBot.Host.Admin;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ChatBot.Host.Content.Pages;

/// <summary>A new draft (policy guide, micro-lesson or notice) in an organisation in scope.</summary>
public sealed class NewModel(ContentService content, OrganisationScope scope) : PageModel
{
    [BindProperty] public ContentForm Form { get; set; } = new();
    public IReadOnlyList<(int Id, string Name)> Organisations { get; private set; } = [];
    public IDictionary<string, string[]> Errors { get; private set; } = new Dictionary<string, string[]>();
    public bool AllowCommitteeWide => scope.IsSuperAdmin;

    public async Task OnGetAsync(ContentKind kind, CancellationToken ct)
    {
        Organisations = await content.OrganisationsAsync(scope, ct);
        Form = new ContentForm
        {
            Kind = Enum.IsDefined(kind) ? kind : ContentKind.Policy,
            EstimatedMinutes = kind == ContentKind.Lesson ? 5 : 3,
            // A secretary's items belong to her own organisation by default; 超级管理员 starts committee-wide.
            OrganisationId = scope.IsSuperAdmin ? null : scope.OrganisationId.ToString(),
        };
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var outcome = await content.CreateAsync(scope, Form.OrganisationIdValue, Form.ToDraft(), ct);
        if (outcome.Kind == ContentOutcomeKind.Done)
            return Redirect($"/admin/content/{outcome.Item!.Id}?saved=1");
        Errors = outcome.Errors ?? new Dictionary<string, string[]>();
        Organisations = await content.OrganisationsAsync(scope, ct);
        Response.StatusCode = outcome.Kind == ContentOutcomeKind.Forbidden ? StatusCodes.Status403Forbidden : StatusCodes.Status400BadRequest;
        return Page();
    }
}
