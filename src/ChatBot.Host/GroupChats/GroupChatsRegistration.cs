using ChatBot.Core.Configuration;
using ChatBot.Host.Configuration;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.AspNetCore.DataProtection.StackExchangeRedis;
using ChatBot.Host.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace ChatBot.Host.GroupChats;

public static class GroupChatsRegistration
{
    /// <summary>
    /// Group chat settings (credentials encrypted with Data Protection), the robot push queue and the per-chat pass the
    /// delivery sender runs, and the broken-chat read model. Needs AddChatBotData, AddChatBotSharedState,
    /// AddChatBotDelivery and AddDingTalk (robot clients).
    /// </summary>
    public static WebApplicationBuilder AddGroupChats(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddAnnotatedOptions<GroupChatsOptions>(GroupChatsOptions.SectionName);
        services.AddSingleton<IValidateOptions<GroupChatsOptions>, GroupChatsOptionsValidator>();
        services.AddSingleton<RobotWebhookPolicy>();
        services.TryAddSingleton(TimeProvider.System);
        AddKeyRing(services);

        services.AddSingleton<GroupChatProtector>();
        services.AddSingleton<GroupPushComposer>();
        services.AddSingleton<GroupChatSettingsService>();
        services.AddSingleton<GroupPushQueue>();
        services.AddSingleton<IGroupChatHealth, GroupChatHealth>();
        // Transient: both hold typed HttpClients, which must not be captured by a singleton.
        services.AddTransient<GroupRobotSender>();
        // Run by the delivery pipeline's one sender loop (Delivery/OutboxWorker), not a worker of its own.
        services.AddTransient<GroupPushProcessor>();
        return builder;
    }

    /// <summary>
    /// One key ring per deployment: in Redis when Redis is configured (every instance must read what another wrote),
    /// else in <see cref="GroupChatsOptions.KeysDirectory"/>. Chosen when first used, so test hosts' settings apply.
    /// Losing the key ring makes stored webhooks unreadable; the chats then show as broken until re-entered.
    /// Key activation and rotation (90 days) follow the system clock, and that is right: keys are real-world
    /// secrets shared across instances. No product rule reads Data Protection's clock; link expiry travels inside
    /// the payload and is checked against <see cref="TimeProvider"/> (see <c>SignedMemberLinks</c>).
    /// </summary>
    private static void AddKeyRing(IServiceCollection services)
    {
        services.AddDataProtection().SetApplicationName("ChatBot");
        services.AddValidatedOptions<KeyRingOptions, KeyRingOptionsValidator>(KeyRingOptions.SectionName);
        services.AddSingleton<KeyRingCertificate>();
        services.AddOptions<KeyManagementOptions>()
            .Configure<IServiceProvider>((o, sp) =>
            {
                // With DataProtection:CertificatePath every new key is encrypted to the certificate; every instance
                // holding the same certificate decrypts the ring (CertificateKeyXmlDecryptor).
                if (sp.GetRequiredService<KeyRingCertificate>().Certificate is { } certificate)
                    o.XmlEncryptor = new CertificateKeyXmlEncryptor(certificate);
                var redis = sp.GetService<IConnectionMultiplexer>();
                if (redis is not null)
                {
                    var prefix = sp.GetRequiredService<IOptions<RedisOptions>>().Value.KeyPrefix;
                    o.XmlRepository = new RedisXmlRepository(() => redis.GetDatabase(), prefix + "dataprotection-keys");
                    return;
                }
                var settings = sp.GetRequiredService<IOptions<GroupChatsOptions>>().Value;
                var root = sp.GetRequiredService<IHostEnvironment>().ContentRootPath;
                var folder = new DirectoryInfo(Path.GetFullPath(Path.Combine(root, settings.KeysDirectory)));
                o.XmlRepository = new FileSystemXmlRepository(folder, sp.GetRequiredService<ILoggerFactory>());
            });
    }
}
