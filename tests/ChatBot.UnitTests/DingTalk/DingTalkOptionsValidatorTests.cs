using ChatBot.Channels.DingTalk;

namespace ChatBot.UnitTests.DingTalk;

public class DingTalkOptionsValidatorTests
{
    private static readonly DingTalkOptionsValidator Validator = new();

    private static DingTalkOptions Complete() => new() { AppKey = "dingkey", AppSecret = "secret", RobotCode = "dingrobot" };

    [Fact]
    public void Validate_Succeeds_WhenEverythingIsEmpty()
    {
        var options = new DingTalkOptions();

        Assert.False(options.Enabled);
        Assert.True(Validator.Validate(null, options).Succeeded);
    }

    [Fact]
    public void Validate_Succeeds_WhenCompleteWithDefaults()
    {
        var options = Complete();

        Assert.True(options.Enabled);
        Assert.Equal("https://api.dingtalk.com", options.ApiBaseUrl);
        Assert.Equal(TimeSpan.FromHours(1), options.MaxClockSkew);
        Assert.True(Validator.Validate(null, options).Succeeded);
    }

    [Fact]
    public void Validate_NamesAppSecret_WhenAppKeyIsSetWithoutSecret()
    {
        var result = Validator.Validate(null, new DingTalkOptions { AppKey = "dingkey" });

        Assert.True(result.Failed);
        Assert.Contains("DingTalk:AppSecret", result.FailureMessage);
    }

    [Fact]
    public void Validate_NamesAppKeyAndRobotCode_WhenEnabledWithoutThem()
    {
        var result = Validator.Validate(null, new DingTalkOptions { AppSecret = "secret" });

        Assert.True(result.Failed);
        Assert.Contains("DingTalk:AppKey", result.FailureMessage);
        Assert.Contains("DingTalk:RobotCode", result.FailureMessage);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(61)]
    public void Validate_NamesMaxClockSkewMinutes_WhenOutOfRange(int minutes)
    {
        var options = Complete();
        options.MaxClockSkewMinutes = minutes;

        var result = Validator.Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains("DingTalk:MaxClockSkewMinutes", result.FailureMessage);
    }

    [Theory]
    [InlineData("")]
    [InlineData("api.dingtalk.com")]
    [InlineData("ftp://api.dingtalk.com")]
    public void Validate_NamesApiBaseUrl_WhenNotAnHttpUrl(string url)
    {
        var options = Complete();
        options.ApiBaseUrl = url;

        var result = Validator.Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains("DingTalk:ApiBaseUrl", result.FailureMessage);
    }

    [Fact]
    public void Validate_NamesMode_WhenItIsNotHttpOrStream()
    {
        var options = Complete();
        options.Mode = (DingTalkMode)7;

        var result = Validator.Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains("DingTalk:Mode", result.FailureMessage);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3601)]
    public void Validate_NamesStreamMaxReconnectSeconds_WhenOutOfRange(int seconds)
    {
        var options = Complete();
        options.StreamMaxReconnectSeconds = seconds;

        Assert.Contains("DingTalk:StreamMaxReconnectSeconds", Validator.Validate(null, options).FailureMessage);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(4, 8)]
    [InlineData(20, 60)]
    public void StreamBackoff_DoublesUpToTheCap_WithAtMostOneFifthJitter(int failures, double baseSeconds)
    {
        var wait = DingTalkStreamClient.Backoff(failures, Complete());

        Assert.InRange(wait.TotalSeconds, baseSeconds, baseSeconds * 1.2);
    }
}
