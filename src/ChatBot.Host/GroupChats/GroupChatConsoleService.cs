using ChatBot.Core.Domain;
using ChatBot.Host.Admin;
using ChatBot.Host.Data;
using ChatBot.Host.Ledger;
using Microsoft.EntityFrameworkCore;

namespace ChatBot.Host.GroupChats;

public sealed record GroupChatConsoleRow(GroupChatSettingsView Settings, string OrganisationName, int PendingPushes, DeliveryStatus? LastStatus, DateTime? LastAt, string? LastError);

/// <summary>
/// The console's side of branch group chats: the settings service and the push queue behind the admin's scope, with
/// every change audited. A chat outside the scope is not found, whatever id is asked for.
/// </summary>
public sealed class GroupChatConsoleService(ChatBotDbContext db, AuditLog audit, GroupChatSettingsService settings, GroupPushQueue queue, TimeProvider time)
{
    public async Task<IReadOnlyList<GroupChatConsoleRow>> ListAsync(OrganisationScope scope, int? organisationId, CancellationToken ct = default)
    {
        var query = db.GroupChats.AsNoTracking().WithinScope(scope);
        if (organisationId is { } orgId)
        {
            var path = db.Organisations.WithinScope(scope).Where(o => o.Id == orgId).Select(o => o.Path);
            query = query.Where(g => path.Any(p => g.Organisation!.Path.StartsWith(p)));
        }
        var chats = await query.OrderBy(g => g.Organisation!.Name).ThenBy(g => g.Name)
            .Select(g => new
            {
                g.Id, Organisation = g.Organisation!.Name,
                Pending = db.Deliveries.Count(d => d.GroupChatId == g.Id && d.Status == DeliveryStatus.Pending),
                Last = db.Deliveries.Where(d => d.GroupChatId == g.Id && d.Status != DeliveryStatus.Pending)
                    .OrderByDescending(d => d.Id).Select(d => new { d.Status, At = d.SentAt ?? d.CreatedAt, d.LastError }).FirstOrDefault(),
            }).ToListAsync(ct);
        var rows = new List<GroupChatConsoleRow>();
        foreach (var c in chats)
            if (await settings.GetMaskedAsync(c.Id, ct) is { } view)
                rows.Add(new GroupChatConsoleRow(view, c.Organisation, c.Pending, c.Last?.Status, c.Last?.At, c.Last?.LastError));
        return rows;
    }

    public async Task<GroupChatConsoleRow?> GetAsync(OrganisationScope scope, int id, CancellationToken ct = default)
    {
        if (!await InScopeAsync(scope, id, ct)) return null;
        return (await ListAsync(scope, null, ct)).SingleOrDefault(r => r.Settings.Id == id);
    }

    public async Task<int?> CreateAsync(OrganisationScope scope, GroupChatSettings input, CancellationToken ct = default)
    {
        if (!await db.Organisations.WithinScope(scope).AnyAsync(o => o.Id == input.OrganisationId, ct)) return null;
        int id;
        try { id = await settings.CreateAsync(input, ct); }
        catch (GroupChatSettingsException ex) { throw new LedgerRuleException(ex.Message); }
        var view = await settings.GetMaskedAsync(id, ct);
        audit.RecordAs(scope.Actor, "group-chat.create", nameof(GroupChat), id, await PathOfAsync(id, ct), null, Audited(view));
        await db.SaveChangesAsync(ct);
        return id;
    }

    public async Task<GroupChatSettingsView?> UpdateAsync(OrganisationScope scope, int id, GroupChatSettingsUpdate update, CancellationToken ct = default)
    {
        if (!await InScopeAsync(scope, id, ct)) return null;
        var before = await settings.GetMaskedAsync(id, ct);
        GroupChatSettingsView after;
        try { after = await settings.UpdateAsync(id, update, ct); }
        catch (GroupChatSettingsException ex) { throw new LedgerRuleException(ex.Message); }
        audit.RecordAs(scope.Actor, "group-chat.update", nameof(GroupChat), id, await PathOfAsync(id, ct), Audited(before), Audited(after));
        await db.SaveChangesAsync(ct);
        return after;
    }

    /// <summary>Queues a short test message through the normal outbox; its result shows on the page once the worker sent it.</summary>
    public async Task<GroupPushEnqueueResult?> SendTestAsync(OrganisationScope scope, int id, CancellationToken ct = default)
    {
        if (!await InScopeAsync(scope, id, ct)) return null;
        var now = time.GetUtcNow().UtcDateTime;
        var push = GroupPush.PlainText($"【测试消息】党建助手群机器人连接正常。（{scope.Actor} 于管理后台发送）");
        var result = await queue.EnqueueAsync(id, $"console-test:{id}:{now.Ticks}", push, ct: ct);
        audit.RecordAs(scope.Actor, "group-chat.test", nameof(GroupChat), id, await PathOfAsync(id, ct), null, new { Result = result.ToString() });
        await db.SaveChangesAsync(ct);
        return result;
    }

    private Task<string> PathOfAsync(int id, CancellationToken ct) =>
        db.GroupChats.Where(g => g.Id == id).Select(g => g.Organisation!.Path).SingleAsync(ct);

    private Task<bool> InScopeAsync(OrganisationScope scope, int id, CancellationToken ct) =>
        db.GroupChats.WithinScope(scope).AnyAsync(g => g.Id == id, ct);

    // Only masked values reach the audit log: the webhook URL alone lets anyone post into the group.
    private static object? Audited(GroupChatSettingsView? v) => v is null ? null : new
    {
        v.Name, Webhook = v.MaskedWebhookUrl, Secret = v.MaskedSecret, v.ConversationId, v.Muted, v.BrokenReason,
    };
}
