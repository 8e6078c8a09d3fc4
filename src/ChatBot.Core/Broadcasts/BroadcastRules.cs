using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using ChatBot.Core.Domain;

namespace ChatBot.Core.Broadcasts;

/// <summary>Who a broadcast reaches: members of these organisations (and their subtrees), by status, and their group chats.</summary>
public sealed record BroadcastAudience
{
    public IReadOnlyList<int> OrganisationIds { get; init; } = [];
    public bool IncludeSubtrees { get; init; } = true;
    /// <summary>Empty = every status (正式党员, 预备党员, 入党积极分子).</summary>
    public IReadOnlyList<MemberStatus> Statuses { get; init; } = [];
    /// <summary>Only 流动党员.</summary>
    public bool MobileOnly { get; init; }
    /// <summary>Also the group chats of the chosen organisations (and subtrees).</summary>
    public bool GroupChats { get; init; }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter() },
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static BroadcastAudience FromJson(string json) =>
        JsonSerializer.Deserialize<BroadcastAudience>(string.IsNullOrWhiteSpace(json) ? "{}" : json, Json) ?? new BroadcastAudience();
}

/// <summary>What a run sends, copied from the broadcast when the run starts.</summary>
public sealed record BroadcastSnapshot(string Title, string Text, int? ContentItemId, ContentKind? ContentKind, BroadcastAudience Audience, bool Urgent, bool MassSend)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter() },
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static BroadcastSnapshot FromJson(string json) =>
        JsonSerializer.Deserialize<BroadcastSnapshot>(json, Json) ?? throw new JsonException("empty broadcast snapshot");
}

/// <summary>The rules of composing and running a broadcast, shared by the API and (later) the console.</summary>
public static class BroadcastRules
{
    public const int MaxTitleLength = 64;
    /// <summary>客服 text is limited to 2048 bytes by WeChat, WeCom markdown to 4096 bytes; 1,000 characters leave room for the link.</summary>
    public const int MaxTextLength = 1000;
    public const int MaxOrganisations = 200;

    /// <summary>Field errors of a draft (field name → message), empty when valid. Organisation existence is checked by the caller.</summary>
    public static Dictionary<string, string[]> Validate(string? title, string? text, BroadcastAudience? audience)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(title)) errors["title"] = ["title is required"];
        else if (title.Trim().Length > MaxTitleLength) errors["title"] = [$"title must be at most {MaxTitleLength} characters"];
        if (string.IsNullOrWhiteSpace(text)) errors["text"] = ["text is required"];
        else if (text.Length > MaxTextLength) errors["text"] = [$"text must be at most {MaxTextLength} characters"];
        if (audience is null) errors["audience"] = ["audience is required"];
        else if (audience.OrganisationIds is not { Count: > 0 }) errors["audience.organisationIds"] = ["at least one organisation is required"];
        else if (audience.OrganisationIds.Count > MaxOrganisations) errors["audience.organisationIds"] = [$"at most {MaxOrganisations} organisations"];
        else if (audience.Statuses.Any(s => !Enum.IsDefined(s))) errors["audience.statuses"] = ["unknown member status"];
        return errors;
    }

    /// <summary>The run of a broadcast for one slot: two hosts or two triggers for the same slot make one run.</summary>
    public static string RunKey(int broadcastId, DateTime slotUtc) =>
        string.Create(CultureInfo.InvariantCulture, $"bc:{broadcastId}:{slotUtc:yyyyMMdd'T'HHmm'Z'}");

    /// <summary>One "resend failed" run per run it resends (a second click answers the same run).</summary>
    public static string ResendRunKey(int broadcastId, int ofRunId) =>
        string.Create(CultureInfo.InvariantCulture, $"bc:{broadcastId}:resend:{ofRunId}");

    public static string MemberKey(int runId, int memberId) =>
        string.Create(CultureInfo.InvariantCulture, $"bc:{runId}:m:{memberId}");

    public static string GroupChatKey(int runId, int groupChatId) =>
        string.Create(CultureInfo.InvariantCulture, $"bc:{runId}:g:{groupChatId}");

    /// <summary>A slot is a minute: a trigger a few seconds late still names the same slot.</summary>
    public static DateTime SlotOf(DateTime utc) =>
        new(utc.Ticks - utc.Ticks % TimeSpan.TicksPerMinute, DateTimeKind.Utc);

    public static string StatusName(MemberStatus status) => status switch
    {
        MemberStatus.Full => "正式党员",
        MemberStatus.Probationary => "预备党员",
        MemberStatus.Activist => "入党积极分子",
        _ => status.ToString(),
    };
}
