using ChatBot.Channels.Robots;
using ChatBot.Core.Domain;
using ChatBot.Host.Data;
using Microsoft.EntityFrameworkCore;

namespace ChatBot.Host.GroupChats;

/// <summary>What an admin enters for a branch group chat. The webhook URL and secret are plaintext only here.</summary>
public sealed record GroupChatSettings
{
    public required int OrganisationId { get; init; }
    public required Channel Channel { get; init; }
    public required string Name { get; init; }
    public required string WebhookUrl { get; init; }
    /// <summary>DingTalk 加签 secret (SEC…); null when the robot uses keywords or an IP list instead. WeCom has none.</summary>
    public string? Secret { get; init; }
    /// <summary>DingTalk conversationId, so @-messages in this group map to the branch.</summary>
    public string? ConversationId { get; init; }
    public bool Muted { get; init; }
}

/// <summary>A partial change; null leaves a field as it is. A new webhook URL or secret clears the broken state.</summary>
public sealed record GroupChatSettingsUpdate
{
    public string? Name { get; init; }
    public string? WebhookUrl { get; init; }
    public string? Secret { get; init; }
    public string? ConversationId { get; init; }
    public bool? Muted { get; init; }
}

/// <summary>The settings as shown back: credentials masked, never the stored ciphertext or the plaintext.</summary>
public sealed record GroupChatSettingsView(
    int Id,
    int OrganisationId,
    Channel Channel,
    string Name,
    string MaskedWebhookUrl,
    string? MaskedSecret,
    string? ConversationId,
    bool Muted,
    string? BrokenReason,
    DateTime? BrokenAt);

/// <summary>A setting that cannot be saved; <see cref="Field"/> names the JSON field when one is at fault.</summary>
public sealed class GroupChatSettingsException(string message, string? field = null) : ArgumentException(message)
{
    public string? Field { get; } = field;
}

/// <summary>Create, change and read (masked) the robot settings of branch group chats. Used by the admin console.</summary>
public sealed class GroupChatSettingsService(IChatBotDbContextFactory dbs, GroupChatProtector protector, RobotWebhookPolicy webhooks, TimeProvider time)
{
    private const int VisibleSecretChars = 3;
    // Plaintext limits that keep the Data Protection ciphertext inside its columns (4000 / 2000) and the rest
    // inside theirs: an over-long value is a 400 naming the field, not a database error.
    internal const int MaxWebhookUrlChars = 2000;
    internal const int MaxSecretChars = 500;
    internal const int MaxConversationIdChars = 128;

    public async Task<int> CreateAsync(GroupChatSettings settings, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        RequireRobotChannel(settings.Channel);
        RequireName(settings.Name);
        RequireWebhook(settings.Channel, settings.WebhookUrl);
        RequireSecretFits(settings.Channel, settings.Secret);
        RequireConversationIdFits(settings.ConversationId);

        await using var db = dbs.CreateDbContext();
        if (!await db.Organisations.AnyAsync(o => o.Id == settings.OrganisationId, ct))
            throw new GroupChatSettingsException($"组织 {settings.OrganisationId} 不存在。", "organisationId");
        var chat = new GroupChat
        {
            OrganisationId = settings.OrganisationId,
            Channel = settings.Channel,
            Name = settings.Name.Trim(),
            WebhookUrlProtected = protector.Protect(settings.WebhookUrl.Trim()),
            SecretProtected = protector.Protect(NullIfBlank(settings.Secret)),
            ConversationId = NullIfBlank(settings.ConversationId),
            Muted = settings.Muted,
            CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        db.GroupChats.Add(chat);
        await db.SaveChangesAsync(ct);
        return chat.Id;
    }

    public async Task<GroupChatSettingsView> UpdateAsync(int groupChatId, GroupChatSettingsUpdate update, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(update);
        await using var db = dbs.CreateDbContext();
        var chat = await db.GroupChats.SingleOrDefaultAsync(g => g.Id == groupChatId, ct)
            ?? throw new GroupChatSettingsException($"群聊 {groupChatId} 不存在。");

        if (update.Name is not null)
        {
            RequireName(update.Name);
            chat.Name = update.Name.Trim();
        }
        var credentialsChanged = false;
        if (update.WebhookUrl is not null)
        {
            RequireWebhook(chat.Channel, update.WebhookUrl);
            chat.WebhookUrlProtected = protector.Protect(update.WebhookUrl.Trim());
            credentialsChanged = true;
        }
        if (update.Secret is not null)
        {
            // An empty string removes the secret (the robot switched to keywords or an IP list).
            RequireSecretFits(chat.Channel, NullIfBlank(update.Secret));
            chat.SecretProtected = protector.Protect(NullIfBlank(update.Secret));
            credentialsChanged = true;
        }
        if (update.ConversationId is not null)
        {
            RequireConversationIdFits(update.ConversationId);
            chat.ConversationId = NullIfBlank(update.ConversationId);
        }
        if (update.Muted is { } muted)
            chat.Muted = muted;

        if (credentialsChanged && chat.BrokenAt is not null)
        {
            // The admin fixed the robot: its waiting pushes go out now, in their original order.
            chat.BrokenAt = null;
            chat.BrokenReason = null;
            var now = time.GetUtcNow().UtcDateTime;
            await db.Deliveries
                .Where(d => d.GroupChatId == groupChatId && d.Status == DeliveryStatus.Pending)
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.NextAttemptAt, now), ct);
        }
        await db.SaveChangesAsync(ct);
        return ToView(chat);
    }

    public async Task<GroupChatSettingsView?> GetMaskedAsync(int groupChatId, CancellationToken ct = default)
    {
        await using var db = dbs.CreateDbContext();
        var chat = await db.GroupChats.AsNoTracking().SingleOrDefaultAsync(g => g.Id == groupChatId, ct);
        return chat is null ? null : ToView(chat);
    }

    public async Task<IReadOnlyList<GroupChatSettingsView>> ListMaskedAsync(int organisationId, CancellationToken ct = default)
    {
        await using var db = dbs.CreateDbContext();
        var chats = await db.GroupChats.AsNoTracking().Where(g => g.OrganisationId == organisationId).OrderBy(g => g.Id).ToListAsync(ct);
        return chats.Select(ToView).ToList();
    }

    /// <summary>The chats the scope may see, optionally narrowed to one organisation (never widened by it).</summary>
    public async Task<IReadOnlyList<GroupChatSettingsView>> ListMaskedAsync(Admin.OrganisationScope scope, int? organisationId, CancellationToken ct = default)
    {
        await using var db = dbs.CreateDbContext();
        var chats = await Admin.ScopeQueries.WithinScope(db.GroupChats.AsNoTracking(), scope)
            .Where(g => organisationId == null || g.OrganisationId == organisationId)
            .OrderBy(g => g.Id).ToListAsync(ct);
        return chats.Select(ToView).ToList();
    }

    private GroupChatSettingsView ToView(GroupChat chat)
    {
        var webhook = protector.TryUnprotect(chat.WebhookUrlProtected);
        var secret = protector.TryUnprotect(chat.SecretProtected);
        return new GroupChatSettingsView(
            chat.Id,
            chat.OrganisationId,
            chat.Channel,
            chat.Name,
            webhook is null ? (chat.WebhookUrlProtected is null ? "" : "(无法解密)") : RobotWebhookMask.Mask(webhook),
            MaskSecret(secret, chat.SecretProtected),
            chat.ConversationId,
            chat.Muted,
            chat.BrokenReason,
            chat.BrokenAt);
    }

    private static string? MaskSecret(string? secret, string? stored)
    {
        if (stored is null)
            return null;
        if (secret is null)
            return "(无法解密)";
        return secret.Length <= VisibleSecretChars * 2 ? "****" : string.Concat(secret.AsSpan(0, VisibleSecretChars), "****");
    }

    private static void RequireRobotChannel(Channel channel)
    {
        if (channel is not (Channel.DingTalk or Channel.WeCom))
            throw new GroupChatSettingsException("channel：群聊只支持钉钉或企业微信群机器人。", "channel");
    }

    private static void RequireName(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
            throw new GroupChatSettingsException("name：请填写群聊名称。", "name");
        if (name.Trim().Length > Data.Configurations.ColumnConventions.TitleLength)
            throw new GroupChatSettingsException($"name：群聊名称不能超过 {Data.Configurations.ColumnConventions.TitleLength} 个字。", "name");
    }

    private static void RequireConversationIdFits(string? conversationId)
    {
        if (conversationId is not null && conversationId.Trim().Length > MaxConversationIdChars)
            throw new GroupChatSettingsException($"conversationId：群会话 ID 不能超过 {MaxConversationIdChars} 个字符。", "conversationId");
    }

    private void RequireWebhook(Channel channel, string? url)
    {
        if (url is not null && url.Trim().Length > MaxWebhookUrlChars)
            throw new GroupChatSettingsException($"webhookUrl：地址不能超过 {MaxWebhookUrlChars} 个字符。", "webhookUrl");
        if (!webhooks.IsAllowed(channel, url))
            throw new GroupChatSettingsException(RobotWebhookPolicy.Explain(channel), "webhookUrl");
    }

    private static void RequireSecretFits(Channel channel, string? secret)
    {
        if (secret is not null && secret.Trim().Length > MaxSecretChars)
            throw new GroupChatSettingsException($"secret：加签密钥不能超过 {MaxSecretChars} 个字符。", "secret");
        if (channel == Channel.WeCom && !string.IsNullOrWhiteSpace(secret))
            throw new GroupChatSettingsException("secret：企业微信群机器人没有加签密钥，请留空。", "secret");
    }

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
