using ChatBot.Host.Admin;

namespace ChatBot.Host.GroupChats;

/// <summary>A push an operator sends to one group chat; the key makes a repeated request harmless.</summary>
public sealed record GroupPushRequest(string IdempotencyKey, GroupPush Push);

public static class GroupChatEndpoints
{
    internal const int MaxIdempotencyKeyChars = 196;

    /// <summary>
    /// Group chats per branch behind <see cref="AdminApiGuard"/>: list (masked), create, update (which also clears a
    /// broken state when the webhook or secret changes), push one message, and the broken-chat report.
    /// </summary>
    public static IEndpointRouteBuilder MapGroupChats(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/group-chats").RequireAdminApiAccess();
        api.MapGet("/broken", async (IGroupChatHealth health, CancellationToken ct) => Results.Ok(await health.ListBrokenAsync(ct)));
        api.MapGet("/", async (int organisationId, GroupChatSettingsService settings, CancellationToken ct) =>
            Results.Ok(await settings.ListMaskedAsync(organisationId, ct)));
        api.MapGet("/{id:int}", async (int id, GroupChatSettingsService settings, CancellationToken ct) =>
            await settings.GetMaskedAsync(id, ct) is { } view ? Results.Ok(view) : Results.NotFound());
        api.MapPost("/", async (GroupChatSettings body, GroupChatSettingsService settings, CancellationToken ct) =>
        {
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
        api.MapPut("/{id:int}", async (int id, GroupChatSettingsUpdate body, GroupChatSettingsService settings, CancellationToken ct) =>
        {
            if (await settings.GetMaskedAsync(id, ct) is null) return Results.NotFound();
            try
            {
                return Results.Ok(await settings.UpdateAsync(id, body, ct));
            }
            catch (GroupChatSettingsException ex)
            {
                return Results.BadRequest(new { error = ex.Message, field = ex.Field });
            }
        });
        api.MapPost("/{id:int}/pushes", async (int id, GroupPushRequest body, GroupChatSettingsService settings, GroupPushQueue queue, CancellationToken ct) =>
        {
            if (await settings.GetMaskedAsync(id, ct) is null) return Results.NotFound();
            if (string.IsNullOrWhiteSpace(body.IdempotencyKey)) return Results.BadRequest(new { error = "idempotencyKey is required", field = "idempotencyKey" });
            // The stored key is "api:" + this, in a 200-character column.
            if (body.IdempotencyKey.Length > MaxIdempotencyKeyChars)
                return Results.BadRequest(new { error = $"idempotencyKey must be at most {MaxIdempotencyKeyChars} characters", field = "idempotencyKey" });
            try
            {
                var result = await queue.EnqueueAsync(id, "api:" + body.IdempotencyKey, body.Push, ct: ct);
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
}
