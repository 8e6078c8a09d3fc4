using System.Text.Json;
using ChatBot.Core.Ports;

namespace ChatBot.Core.Conversation;

/// <summary>An open multi-turn dialog (a quiz, a pending unbind confirmation).</summary>
public sealed record DialogState(string Kind, int LessonId = 0, int Index = 0, int Correct = 0, int[]? QuestionIds = null)
{
    public const string Quiz = "quiz";
    public const string UnbindConfirm = "unbind";
}

/// <summary>What a bare number refers to after a numbered list ("回复 1 查看…").</summary>
public sealed record ChoiceState(string Kind, int[] Ids, string[]? Labels = null)
{
    public const string Menu = "menu";
    public const string Activities = "activities";
    public const string Policies = "policies";
}

/// <summary>Typed access to the per-sender state kept in the shared session store.</summary>
public sealed class SessionState(ISessionStore store)
{
    public static readonly TimeSpan DialogTtl = TimeSpan.FromMinutes(10);
    public static readonly TimeSpan ChoiceTtl = TimeSpan.FromMinutes(30);

    public Task<DialogState?> GetDialogAsync(string sessionKey, CancellationToken ct) => GetAsync<DialogState>("dialog:" + sessionKey, ct);

    public Task SetDialogAsync(string sessionKey, DialogState state, CancellationToken ct) =>
        store.SetAsync("dialog:" + sessionKey, JsonSerializer.Serialize(state), DialogTtl, ct);

    public Task ClearDialogAsync(string sessionKey, CancellationToken ct) => store.RemoveAsync("dialog:" + sessionKey, ct);

    public Task<ChoiceState?> GetChoiceAsync(string sessionKey, CancellationToken ct) => GetAsync<ChoiceState>("choice:" + sessionKey, ct);

    public Task SetChoiceAsync(string sessionKey, ChoiceState state, CancellationToken ct) =>
        store.SetAsync("choice:" + sessionKey, JsonSerializer.Serialize(state), ChoiceTtl, ct);

    /// <summary>The last question answered with 可能相关, so a bare 人工 knows what to hand over.</summary>
    public async Task<long?> GetLastUnansweredAsync(string sessionKey, CancellationToken ct) =>
        long.TryParse(await store.GetAsync("unanswered:" + sessionKey, ct), out var id) ? id : null;

    public Task SetLastUnansweredAsync(string sessionKey, long id, CancellationToken ct) =>
        store.SetAsync("unanswered:" + sessionKey, id.ToString(System.Globalization.CultureInfo.InvariantCulture), ChoiceTtl, ct);

    public Task ClearLastUnansweredAsync(string sessionKey, CancellationToken ct) => store.RemoveAsync("unanswered:" + sessionKey, ct);

    public async Task<int> GetCounterAsync(string key, CancellationToken ct) =>
        int.TryParse(await store.GetAsync("counter:" + key, ct), out var n) ? n : 0;

    public Task SetCounterAsync(string key, int value, TimeSpan ttl, CancellationToken ct) =>
        store.SetAsync("counter:" + key, value.ToString(System.Globalization.CultureInfo.InvariantCulture), ttl, ct);

    public Task ClearCounterAsync(string key, CancellationToken ct) => store.RemoveAsync("counter:" + key, ct);

    private async Task<T?> GetAsync<T>(string key, CancellationToken ct) where T : class
    {
        var json = await store.GetAsync(key, ct);
        if (json is null) return null;
        try
        {
            return JsonSerializer.Deserialize<T>(json);
        }
        catch (JsonException)
        {
            // State written by an older version: treat as absent rather than failing the member's message.
            return null;
        }
    }
}
