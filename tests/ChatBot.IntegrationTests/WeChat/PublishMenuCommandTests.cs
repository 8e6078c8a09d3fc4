using ChatBot.Host.Commands;

namespace ChatBot.IntegrationTests.WeChat;

[Collection(WeChatHostCollection.Name)]
public sealed class PublishMenuCommandTests
{
    [Fact]
    public async Task RunAsync_PublishesTemplateMenuAndExits0_WhenWeChatAccepts()
    {
        await using var api = await FakeWeChatApi.StartAsync();
        await using var host = new WeChatHostFactory(api.BaseUrl);
        var output = new StringWriter();

        var exit = await new PublishMenuCommand(host.Services, output).RunAsync(PublishMenuCommand.DefaultMenuPath, default);

        Assert.Equal(0, exit);
        Assert.Contains("Menu published", output.ToString(), StringComparison.Ordinal);
        var body = Assert.Single(api.CallsTo(FakeWeChatApi.MenuPath)).Body!;
        Assert.Equal(3, body["button"]!.AsArray().Count);
    }

    [Fact]
    public async Task RunAsync_Exits1WithoutCallingWeChat_WhenMenuUsesUnknownKey()
    {
        await using var api = await FakeWeChatApi.StartAsync();
        await using var host = new WeChatHostFactory(api.BaseUrl);
        var file = Path.GetTempFileName();
        await File.WriteAllTextAsync(file, """{"button":[{"type":"click","name":"学习","key":"LESSON_TOMORROW"}]}""");
        var output = new StringWriter();
        try
        {
            var exit = await new PublishMenuCommand(host.Services, output).RunAsync(file, default);

            Assert.Equal(1, exit);
            Assert.Contains("LESSON_TOMORROW", output.ToString(), StringComparison.Ordinal);
            Assert.Empty(api.CallsTo(FakeWeChatApi.MenuPath));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task RunAsync_Exits1NamingWeChatError_WhenWeChatRefuses()
    {
        await using var api = await FakeWeChatApi.StartAsync();
        await using var host = new WeChatHostFactory(api.BaseUrl);
        api.FailNext(FakeWeChatApi.MenuPath, 40164);
        var output = new StringWriter();

        var exit = await new PublishMenuCommand(host.Services, output).RunAsync(PublishMenuCommand.DefaultMenuPath, default);

        Assert.Equal(1, exit);
        Assert.Contains("IpNotWhitelisted (errcode 40164", output.ToString(), StringComparison.Ordinal);
    }
}
