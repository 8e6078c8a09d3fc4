using ChatBot.Core.Domain;
using ChatBot.Core.Features;
using ChatBot.Host.Data;
using Microsoft.EntityFrameworkCore;

namespace ChatBot.Host.GroupChats;

/// <summary>Maps a DingTalk conversation id to its branch, so an @-message in a group speaks for that branch.</summary>
internal sealed class GroupDirectory(ChatBotDbContext db) : IGroupDirectory
{
    public Task<GroupRef?> FindByConversationAsync(Channel channel, string conversationId, CancellationToken ct) =>
        db.GroupChats.AsNoTracking()
            .Where(g => g.Channel == channel && g.ConversationId == conversationId)
            .OrderBy(g => g.Id)
            .Select(g => new GroupRef(g.Id, g.OrganisationId, g.Organisation!.Name))
            .FirstOrDefaultAsync(ct);
}
