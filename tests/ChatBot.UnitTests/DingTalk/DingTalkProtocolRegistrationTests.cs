using ChatBot.Channels.DingTalk;
using ChatBot.Channels.WeCom;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ChatBot.UnitTests.DingTalk;

public class DingTalkProtocolRegistrationTests
{
    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddLogging();
        services.AddDingTalkProtocol();
        services.AddWeComRobot();
        return services.BuildServiceProvider();
    }

    [Fact]
    public void AddDingTalkProtocol_ResolvesClientsSharingOneTokenCache()
    {
        using var provider = Build(new() { ["DingTalk:AppKey"] = "k", ["DingTalk:AppSecret"] = "s", ["DingTalk:RobotCode"] = "r" });

        Assert.True(provider.GetRequiredService<IOptions<DingTalkOptions>>().Value.Enabled);
        Assert.NotNull(provider.GetRequiredService<DingTalkApiClient>());
        Assert.NotNull(provider.GetRequiredService<DingTalkRobotClient>());
        Assert.NotNull(provider.GetRequiredService<WeComRobotClient>());
        Assert.NotNull(provider.GetRequiredService<DingTalkSignature>());
        Assert.Same(provider.GetRequiredService<DingTalkAccessTokenCache>(), provider.GetRequiredService<DingTalkAccessTokenCache>());
    }

    [Fact]
    public void AddDingTalkProtocol_FailsNamingTheKey_WhenSecretIsMissing()
    {
        using var provider = Build(new() { ["DingTalk:AppKey"] = "k" });

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<DingTalkOptions>>().Value);
        Assert.Contains("DingTalk:AppSecret", ex.Message);
    }
}
