using ChatBot.Channels.WeChat;
using ChatBot.Core.Conversation;

namespace ChatBot.UnitTests.WeChatApi;

public sealed class WeChatMenuValidatorTests
{
    private static readonly string[] Keys = new CommandTable().MenuKeys.Keys.ToArray();

    private static string MenuFile()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "templates", "menu.json")))
            dir = dir.Parent;
        return Path.Combine(dir?.FullName ?? throw new FileNotFoundException("templates/menu.json"), "templates", "menu.json");
    }

    [Fact]
    public void Validate_AcceptsTemplateMenu_AndItsClickKeysAreExactlyTheEngineMenuKeys()
    {
        var menu = WeChatMenu.Parse(File.ReadAllText(MenuFile()));

        Assert.Empty(WeChatMenuValidator.Validate(menu, Keys));
        Assert.Equal(Keys.Order(StringComparer.Ordinal), menu.ClickKeys().Order(StringComparer.Ordinal));
        Assert.Equal(["学习", "活动", "我的"], menu.Buttons.Select(b => b.Name));
    }

    [Fact]
    public void Validate_ReportsEveryLimit_WhenMenuBreaksThem()
    {
        WeChatMenuButton Click(string name, string key) => new() { Type = "click", Name = name, Key = key };
        var menu = new WeChatMenu
        {
            Buttons =
            [
                new() { Name = "这是一个超过十六字节的名字", SubButtons = Enumerable.Range(0, 6).Select(_ => Click("帮助", "HELP")).ToArray() },
                Click(new string('长', 21), "HELP"),
                Click("未知", "NOT_A_KEY"),
                Click("太长", new string('K', 129)),
            ],
        };

        var problems = WeChatMenuValidator.Validate(menu, Keys);

        Assert.Contains(problems, p => p.Contains("1 to 3 top-level buttons", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("name is 39 bytes (at most 16)", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("6 sub-buttons", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("key NOT_A_KEY is not a menu key", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("longer than 128 bytes", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("HELP is used more than once", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_AllowsSixtyByteSubButtonNames_ButNotSixtyOne()
    {
        WeChatMenu WithSubName(string name) => new() { Buttons = [new() { Name = "我的", SubButtons = [new() { Type = "click", Name = name, Key = "HELP" }] }] };

        Assert.Empty(WeChatMenuValidator.Validate(WithSubName(new string('帮', 20)), Keys));
        Assert.NotEmpty(WeChatMenuValidator.Validate(WithSubName(new string('帮', 20) + "a"), Keys));
    }
}
