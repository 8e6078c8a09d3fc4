using ChatBot.Core.Domain;
using ChatBot.Host.Admin;
using ChatBot.Host.Ledger;
using ChatBot.Host.Members;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ChatBot.Host.GroupChats.Pages;

/// <summary>群聊: group chats per branch in scope, masked credentials, health; add a chat.</summary>
public sealed class IndexModel(GroupChatConsoleService chats, MemberLedgerService members, OrganisationScope scope) : PageModel
{
    [BindProperty(SupportsGet = true)] public int? OrganisationId { get; set; }
    public IReadOnlyList<GroupChatConsoleRow> Chats { get; private set; } = [];
    public IReadOnlyList<(int Id, string Name)> Branches { get; private set; } = [];
    public string? Error { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostCreateAsync(int organisationId, Channel channel, string name, string webhookUrl, string? secret, string? conversationId, CancellationToken ct)
    {
        try
        {
            var id = await chats.CreateAsync(scope, new GroupChatSettings
            {
                OrganisationId = organisationId, Channel = channel, Name = name ?? "", WebhookUrl = webhookUrl ?? "", Secret = secret, ConversationId = conversationId,
            }, ct);
            if (id is null) return NotFound();
            return Redirect($"/admin/group-chats/{id}");
        }
        catch (LedgerRuleException ex)
        {
            Error = ex.Message;
            Response.StatusCode = StatusCodes.Status400BadRequest;
            await LoadAsync(ct);
            return Page();
        }
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Branches = await members.BranchesAsync(scope, ct);
        Chats = await chats.ListAsync(scope, OrganisationId, ct);
    }
}
