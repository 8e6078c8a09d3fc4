using ChatBot.Core.Domain;
using ChatBot.Host.Data;
using Microsoft.EntityFrameworkCore;

namespace ChatBot.Host.GroupChats;

/// <summary>A group chat whose robot stopped working, with what the admin needs to fix it.</summary>
public sealed record BrokenGroupChat(
    int Id,
    string Name,
    int OrganisationId,
    string OrganisationName,
    Channel Channel,
    string Reason,
    DateTime BrokenAt,
    int PendingPushes);

/// <summary>Read model for the admin dashboard: which branch robots are broken and how much is waiting for them.</summary>
public interface IGroupChatHealth
{
    Task<IReadOnlyList<BrokenGroupChat>> ListBrokenAsync(CancellationToken ct = default);
}

internal sealed class GroupChatHealth(IChatBotDbContextFactory dbs) : IGroupChatHealth
{
    public async Task<IReadOnlyList<BrokenGroupChat>> ListBrokenAsync(CancellationToken ct = default)
    {
        await using var db = dbs.CreateDbContext();
        var rows = await db.GroupChats.AsNoTracking()
            .Where(g => g.BrokenAt != null)
            .OrderBy(g => g.BrokenAt)
            .Select(g => new BrokenGroupChat(
                g.Id,
                g.Name,
                g.OrganisationId,
                g.Organisation!.Name,
                g.Channel,
                g.BrokenReason ?? "",
                g.BrokenAt!.Value,
                db.Deliveries.Count(d => d.GroupChatId == g.Id && d.Status == DeliveryStatus.Pending)))
            .ToListAsync(ct);
        return rows;
    }
}
