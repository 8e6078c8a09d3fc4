using System.ComponentModel.DataAnnotations;
using ChatBot.Channels.WeChat;

namespace ChatBot.UnitTests.WeChat;

public sealed class WeChatOptionsValidatorTests
{
    private static WeChatOptions Valid() => new()
    {
        AppId = "wx1234567890abcdef",
        AppSecret = "secret",
        Token = "token",
        EncodingAESKey = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG",
        OriginalId = "gh_97417a04a28d",
    };

    private static IReadOnlyList<string> Failures(WeChatOptions options) =>
        new WeChatOptionsValidator().Validate(null, options).Failures?.ToList() ?? [];

    private static IReadOnlyList<string> AnnotationFailures(WeChatOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return results.Select(r => r.ErrorMessage!).ToList();
    }

    [Fact]
    public void Validate_Succeeds_ForCompleteSettings_AndDefaults()
    {
        var options = Valid();

        Assert.True(new WeChatOptionsValidator().Validate(null, options).Succeeded);
        Assert.Empty(AnnotationFailures(options));
        Assert.Equal("https://api.weixin.qq.com", options.ApiBaseUrl);
        Assert.Equal(4000, options.ReplyBudgetMs);
        Assert.Equal("WeChat", WeChatOptions.SectionName);
    }

    [Fact]
    public void Validate_Succeeds_WithoutEncodingAesKeyOrOriginalId()
    {
        var options = Valid();
        options.EncodingAESKey = "";
        options.OriginalId = null;

        Assert.Empty(Failures(options));
        Assert.Empty(AnnotationFailures(options));
        Assert.False(options.EncryptionEnabled);
    }

    [Theory]
    [InlineData(nameof(WeChatOptions.Token), "WeChat:Token is required")]
    [InlineData(nameof(WeChatOptions.AppId), "WeChat:AppId is required")]
    [InlineData(nameof(WeChatOptions.AppSecret), "WeChat:AppSecret is required")]
    public void Validate_NamesTheKey_WhenRequiredValueMissing(string property, string message)
    {
        var options = Valid();
        typeof(WeChatOptions).GetProperty(property)!.SetValue(options, "");

        Assert.Equal([message], Failures(options));
        Assert.Contains(message, AnnotationFailures(options));
    }

    [Theory]
    [InlineData("abcdefghijklmnopqrstuvwxyz0123456789ABCDEF", "WeChat:EncodingAESKey must be 43 characters")]
    [InlineData("abcdefghijklmnopqrstuvwxyz0123456789ABCDE_G", "WeChat:EncodingAESKey may contain only letters A-Z, a-z and digits 0-9")]
    public void Validate_NamesTheKey_WhenEncodingAesKeyInvalid(string key, string message)
    {
        var options = Valid();
        options.EncodingAESKey = key;

        Assert.Equal([message], Failures(options));
        Assert.Single(AnnotationFailures(options));
    }

    [Theory]
    [InlineData(499)]
    [InlineData(4801)]
    public void Validate_RejectsReplyBudget_OutsideRange(int budget)
    {
        var options = Valid();
        options.ReplyBudgetMs = budget;

        Assert.Equal(["WeChat:ReplyBudgetMs must be between 500 and 4800"], Failures(options));
        Assert.Single(AnnotationFailures(options));
    }

    [Theory]
    [InlineData("")]
    [InlineData("api.weixin.qq.com")]
    [InlineData("ftp://api.weixin.qq.com")]
    public void Validate_RejectsApiBaseUrl_WhenNotAbsoluteHttp(string url)
    {
        var options = Valid();
        options.ApiBaseUrl = url;

        Assert.Equal(["WeChat:ApiBaseUrl must be an absolute http(s) URL"], Failures(options));
    }

    [Fact]
    public void Validate_RejectsOriginalId_WithoutGhPrefix()
    {
        var options = Valid();
        options.OriginalId = "wx123";

        Assert.Equal(["WeChat:OriginalId must look like gh_xxxxxxxxxxxx"], Failures(options));
    }

    [Fact]
    public void Validate_ReportsEveryProblem_AndNeverEchoesSecrets()
    {
        var options = new WeChatOptions { AppSecret = "", Token = "", EncodingAESKey = "short-secret-value" };

        var failures = Failures(options);

        Assert.Equal(4, failures.Count);
        Assert.DoesNotContain(failures, f => f.Contains("short-secret-value", StringComparison.Ordinal));
    }
}
