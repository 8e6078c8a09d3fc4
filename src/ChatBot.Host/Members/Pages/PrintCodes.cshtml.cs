using ChatBot.Host.Admin;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ChatBot.Host.Members.Pages;

/// <summary>The printable sheet of usable binding codes in scope: one card per member with a QR code of the instruction.</summary>
public sealed class PrintCodesModel(BindingCodeService codes, OrganisationScope scope) : PageModel
{
    [BindProperty(SupportsGet = true)] public int? OrganisationId { get; set; }
    [BindProperty(SupportsGet = true)] public int? MemberId { get; set; }
    public IReadOnlyList<BindingCodeRow> Codes { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) =>
        Codes = await codes.ListAsync(scope, OrganisationId, MemberId, usableOnly: true, ct);
}
