using ChatBot.Host.Admin;
using ChatBot.Host.Data;
using Microsoft.EntityFrameworkCore;

namespace ChatBot.Host.GroupChats;

/// <summary>A push an operator sends to one group chat; the key makes a repeated request harmless.</summary>
public sealed record GroupPushRequest(string IdempotencyKey, GroupPush Push);

public static class GroupChatEndpoints
{
    internal const int MaxIdempotencyKeyChars = 184;

    /// <summary>
    /// Group chats per branch behind <see cref="AdminApiGuard"/>: list (masked), create, update (which also clears a
    /// broken state when the webhook or secret changes), push one message, and the broken-chat report. Every call is
    /// limited to the caller's <see cref="OrganisationScope"/>: a chat or organisation outside it is "not found", and
    /// an <c>organisationId</c> in the query only narrows the list.
    /// </summary>
    public static IEndpointRouteBuilder MapGroupChats(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/group-chats").RequireAdminApiAccess();
        api.MapGet("/broken", async (IGroupChatHealth health, OrganisationScope scope, ChatBotDbContext db, CancellationToken ct) =>
        {
            var visible = (await db.Organisations.WithinScope(scope).Select(o => o.Id).ToListAsync(ct)).ToHashSet();
            return Results.Ok((await health.ListBrokenAsync(ct)).Where(b => visible.Contains(b.OrganisationId)).ToList());
        });
        api.MapGet("/", async (int? organisationId, OrganisationScope scope, GroupChatSettingsService settings, CancellationToken ct) =>
            Results.Ok(await settings.ListMaskedAsync(scope, organisationId, ct)));
        api.MapGet("/{id:int}", async (int id, OrganisationScope scope, ChatBotDbContext db, GroupChatSettingsService settings, CancellationToken ct) =>
            await InScopeAsync(db, scope, id, ct) && await settings.GetMaskedAsync(id, ct) is { } view ? Results.Ok(view) : Results.NotFound());
        api.MapPost("/", async (GroupChatSettings body, OrganisationScope scope, ChatBotDbContext db, GroupChatSettingsService settings, CancellationToken ct) =>
        {
            if (!await db.Organisations.WithinScope(scope).AnyAsync(o => o.Id == body.OrganisationId, ct))
                return Results.BadRequest(new { error = $"organisationId: 组织 {body.OrganisationId} 不存在或不在您的管理范围内。" });
            try
            {
                var id = await settings.CreateAsync(body, ct);
                return Results.Created($"/api/group-chats/{id}", await settings.GetMaskedAsync(id, ct));
            }
            catch (GroupChatSettingsException ex)
            {
                return Results.BadRequest(new { error = ex.Message, field = ex.Field });
            }
        });
        api.MapPut("/{id:int}", async (int id, GroupChatSettingsUpdate body, OrganisationScope scope, ChatBotDbContext db, GroupChatSettingsService settings, CancellationToken ct) =>
        {
            if (!await InScopeAsync(db, scope, id, ct)) return Results.NotFound();
            try
            {
                return Results.Ok(await settings.UpdateAsync(id, body, ct));
            }
            catch (GroupChatSettingsException ex)
            {
                return Results.BadRequest(new { error = ex.Message, field = ex.Field });
            }
        });
        api.MapPost("/{id:int}/pushes", async (int id, GroupPushRequest body, OrganisationScope scope, ChatBotDbContext db, GroupPushQueue queue, CancellationToken ct) =>
        {
            if (!await InScopeAsync(db, scope, id, ct)) return Results.NotFound();
            if (string.IsNullOrWhiteSpace(body.IdempotencyKey)) return Results.BadRequest(new { error = "idempotencyKey is required", field = "idempotencyKey" });
            // The stored key is "api:{chat id}:" + this, in a 200-character column.
            if (body.IdempotencyKey.Length > MaxIdempotencyKeyChars)
                return Results.BadRequest(new { error = $"idempotencyKey must be at most {MaxIdempotencyKeyChars} characters", field = "idempotencyKey" });
            if (GroupPush.FirstInvalidField(body.Push) is { } invalid)
                return Results.BadRequest(new { error = invalid.Error, field = invalid.Field });
            try
            {
                // Keys are the caller's, per chat: the same key on two chats is two pushes.
                var key = StoredKey(id, body.IdempotencyKey);
                var result = await queue.EnqueueAsync(id, key, body.Push, ct: ct);
                if (result == GroupPushEnqueueResult.Duplicate
                    && await db.Deliveries.Where(d => d.IdempotencyKey == key).Select(d => d.Payload).SingleOrDefaultAsync(ct) is { } stored
                    && stored != body.Push.ToJson())
                    return Results.Conflict(new { error = "idempotencyKey was already used for a different push to this chat", field = "idempotencyKey" });
                return Results.Accepted(value: new { result = result.ToString() });
            }
            catch (ArgumentException ex)
            {
                // The robot could never take this message (too long, no content, too many links, …).
                return Results.BadRequest(new { error = ex.Message });
            }
        });
        return endpoints;
    }

    /// <summary>"api:{chat}:{key}" in the outbox's 200-character key column.</summary>
    internal static string StoredKey(int groupChatId, string idempotencyKey) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"api:{groupChatId}:{idempotencyKey}");

    private static Task<bool> InScopeAsync(ChatBotDbContext db, OrganisationScope scope, int groupChatId, CancellationToken ct) =>
        db.GroupChats.WithinScope(scope).AnyAsync(g => g.Id == groupChatId, ct);
}
