using ChatBot.Host.Admin;
using ChatBot.Host.Ledger;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ChatBot.Host.GroupChats.Pages;

/// <summary>One group chat: fix the robot settings (a new webhook or secret clears the broken state), send a test message.</summary>
public sealed class EditModel(GroupChatConsoleService chats, OrganisationScope scope) : PageModel
{
    [BindProperty(SupportsGet = true)] public int Id { get; set; }
    public GroupChatConsoleRow Chat { get; private set; } = null!;
    public string? Message { get; private set; }
    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) => await LoadAsync(ct) ? Page() : NotFound();

    /// <summary>Blank webhook / secret fields keep what is stored (they are never shown back); "清除密钥" removes the secret.</summary>
    public async Task<IActionResult> OnPostSaveAsync(string name, string? webhookUrl, string? secret, bool clearSecret, string? conversationId, bool muted, CancellationToken ct)
    {
        try
        {
            var update = new GroupChatSettingsUpdate
            {
                Name = name,
                WebhookUrl = string.IsNullOrWhiteSpace(webhookUrl) ? null : webhookUrl,
                Secret = clearSecret ? "" : string.IsNullOrWhiteSpace(secret) ? null : secret,
                ConversationId = conversationId ?? "",
                Muted = muted,
            };
            if (await chats.UpdateAsync(scope, Id, update, ct) is null) return NotFound();
            Message = "已保存。";
        }
        catch (LedgerRuleException ex)
        {
            Error = ex.Message;
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }
        return await LoadAsync(ct) ? Page() : NotFound();
    }

    public async Task<IActionResult> OnPostTestAsync(CancellationToken ct)
    {
        var result = await chats.SendTestAsync(scope, Id, ct);
        if (result is null) return NotFound();
        Message = result switch
        {
            GroupPushEnqueueResult.SkippedMuted => "该群聊已静音，测试消息未发送。",
            _ => "测试消息已排队发送，稍后刷新本页查看结果。",
        };
        return await LoadAsync(ct) ? Page() : NotFound();
    }

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        if (await chats.GetAsync(scope, Id, ct) is not { } chat) return false;
        Chat = chat;
        return true;
    }
}
