using ChatBot.Host.Admin;
using ChatBot.Host.Api;
using Microsoft.AspNetCore.Http.HttpResults;
using ChatBot.Host.Data;
using Microsoft.EntityFrameworkCore;

namespace ChatBot.Host.GroupChats;

/// <summary>A push an operator sends to one group chat; the key makes a repeated request harmless.</summary>
public sealed record GroupPushRequest(string? IdempotencyKey, GroupPush Push);

public static class GroupChatEndpoints
{
    internal const int MaxIdempotencyKeyChars = 184;

    /// <summary>
    /// <c>/api/v1/group-chats</c>: list (masked), create, update (which also clears a broken state when the webhook or
    /// secret changes), push one message, and the broken-chat report. Every call is limited to the caller's
    /// <see cref="OrganisationScope"/>: a chat or organisation outside it is "not found", and an <c>organisationId</c>
    /// in the query only narrows the list.
    /// </summary>
    public static RouteGroupBuilder MapGroupChatsApi(this RouteGroupBuilder v1)
    {
        var api = v1.MapGroup("/group-chats").WithTags("GroupChats");
        api.MapGet("/broken", async (IGroupChatHealth health, OrganisationScope scope, ChatBotDbContext db, CancellationToken ct) =>
        {
            var visible = (await db.Organisations.WithinScope(scope).Select(o => o.Id).ToListAsync(ct)).ToHashSet();
            return TypedResults.Ok((await health.ListBrokenAsync(ct)).Where(b => visible.Contains(b.OrganisationId)).ToList());
        });
        api.MapGet("", async (int? organisationId, OrganisationScope scope, GroupChatSettingsService settings, CancellationToken ct) =>
            TypedResults.Ok(await settings.ListMaskedAsync(scope, organisationId, ct)));
        api.MapGet("/{id:int}", async Task<Results<Ok<GroupChatSettingsView>, ProblemHttpResult>> (int id, OrganisationScope scope, ChatBotDbContext db, GroupChatSettingsService settings, CancellationToken ct) =>
            await InScopeAsync(db, scope, id, ct) && await settings.GetMaskedAsync(id, ct) is { } view ? TypedResults.Ok(view) : ApiProblems.NotFound("no group chat with this id"));
        api.MapPost("", async Task<Results<Created<GroupChatSettingsView>, ValidationProblem>> (GroupChatSettings body, OrganisationScope scope, ChatBotDbContext db, AuditLog audit, GroupChatSettingsService settings, CancellationToken ct) =>
        {
            var path = await db.Organisations.WithinScope(scope).Where(o => o.Id == body.OrganisationId).Select(o => o.Path).SingleOrDefaultAsync(ct);
            if (path is null) return ApiProblems.Validation("organisationId", $"组织 {body.OrganisationId} 不存在或不在您的管理范围内。");
            try
            {
                var id = await settings.CreateAsync(body, ct);
                var view = await settings.GetMaskedAsync(id, ct);
                audit.Record("group-chat.create", nameof(ChatBot.Core.Domain.GroupChat), id, ChatBot.Core.Domain.OrganisationPath.Parse(path), after: view);
                await db.SaveChangesAsync(ct);
                return TypedResults.Created($"{ApiV1.Prefix}/group-chats/{id}", view);
            }
            catch (GroupChatSettingsException ex)
            {
                return ApiProblems.Validation(ex.Field ?? "body", ex.Message);
            }
        });
        api.MapPut("/{id:int}", async Task<Results<Ok<GroupChatSettingsView>, ValidationProblem, ProblemHttpResult>> (int id, GroupChatSettingsUpdate body, OrganisationScope scope, ChatBotDbContext db, AuditLog audit, GroupChatSettingsService settings, CancellationToken ct) =>
        {
            var path = await db.GroupChats.WithinScope(scope).Where(g => g.Id == id).Select(g => g.Organisation!.Path).SingleOrDefaultAsync(ct);
            if (path is null) return ApiProblems.NotFound("no group chat with this id");
            try
            {
                var before = await settings.GetMaskedAsync(id, ct);
                var after = await settings.UpdateAsync(id, body, ct);
                audit.Record("group-chat.update", nameof(ChatBot.Core.Domain.GroupChat), id, ChatBot.Core.Domain.OrganisationPath.Parse(path), before, after);
                await db.SaveChangesAsync(ct);
                return TypedResults.Ok(after);
            }
            catch (GroupChatSettingsException ex)
            {
                return ApiProblems.Validation(ex.Field ?? "body", ex.Message);
            }
        });
        api.MapPost("/{id:int}/pushes", async Task<Results<Accepted<GroupPushAccepted>, ValidationProblem, ProblemHttpResult>> (int id, GroupPushRequest body, HttpContext http, OrganisationScope scope, ChatBotDbContext db, GroupPushQueue queue, CancellationToken ct) =>
        {
            if (!await InScopeAsync(db, scope, id, ct)) return ApiProblems.NotFound("no group chat with this id");
            // The body's key, or the Idempotency-Key header: one key, kept per chat in the outbox.
            var callerKey = string.IsNullOrWhiteSpace(body.IdempotencyKey) ? http.Request.Headers[Idempotency.HeaderName].ToString() : body.IdempotencyKey;
            if (string.IsNullOrWhiteSpace(callerKey)) return ApiProblems.Validation("idempotencyKey", "idempotencyKey (or the Idempotency-Key header) is required");
            // The stored key is "api:{chat id}:" + this, in a 200-character column.
            if (callerKey.Length > MaxIdempotencyKeyChars)
                return ApiProblems.Validation("idempotencyKey", $"idempotencyKey must be at most {MaxIdempotencyKeyChars} characters");
            if (body.Push is null) return ApiProblems.Validation("push", "push is required");
            if (GroupPush.FirstInvalidField(body.Push) is { } invalid)
                return ApiProblems.Validation(invalid.Field, invalid.Error);
            try
            {
                // Keys are the caller's, per chat: the same key on two chats is two pushes.
                var key = StoredKey(id, callerKey);
                var result = await queue.EnqueueAsync(id, key, body.Push, ct: ct);
                if (result == GroupPushEnqueueResult.Duplicate
                    && await db.Deliveries.Where(d => d.IdempotencyKey == key).Select(d => d.Payload).SingleOrDefaultAsync(ct) is { } stored
                    && stored != body.Push.ToJson())
                    return ApiProblems.Conflict("idempotencyKey was already used for a different push to this chat");
                return TypedResults.Accepted((string?)null, new GroupPushAccepted(result.ToString()));
            }
            catch (ArgumentException ex)
            {
                // The robot could never take this message (too long, no content, too many links, …).
                return ApiProblems.Validation("push", ex.Message);
            }
        }).WithIdempotencyKey();
        return v1;
    }

    /// <summary>"api:{chat}:{key}" in the outbox's 200-character key column.</summary>
    internal static string StoredKey(int groupChatId, string idempotencyKey) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"api:{groupChatId}:{idempotencyKey}");

    private static Task<bool> InScopeAsync(ChatBotDbContext db, OrganisationScope scope, int groupChatId, CancellationToken ct) =>
        db.GroupChats.WithinScope(scope).AnyAsync(g => g.Id == groupChatId, ct);
}

/// <summary>What a push request answers: Enqueued, or Duplicate when the key was seen before for this chat.</summary>
public sealed record GroupPushAccepted(string Result);
