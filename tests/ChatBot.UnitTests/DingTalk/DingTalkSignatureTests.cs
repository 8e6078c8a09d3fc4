using ChatBot.Channels.DingTalk;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ChatBot.UnitTests.DingTalk;

public class DingTalkSignatureTests
{
    private static readonly System.Text.Json.Nodes.JsonNode Header = RobotVectors.DingTalkSign("DT-OUTGOING-HEADER-eryajf");
    private static readonly System.Text.Json.Nodes.JsonNode Custom = RobotVectors.DingTalkSign("DT-CUSTOM-ROBOT-derived");

    private static string HeaderSecret => (string)Header["secret"]!;
    private static string HeaderTimestamp => (string)Header["timestamp"]!;
    private static string HeaderSign => (string)Header["expected_sign_base64"]!;

    private static (DingTalkSignature Signature, FakeTimeProvider Time) Create(string secret, long nowMs)
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(nowMs));
        var options = Options.Create(new DingTalkOptions { AppKey = "k", AppSecret = secret, RobotCode = "r" });
        return (new DingTalkSignature(options, time), time);
    }

    [Fact]
    public void ComputeSign_MatchesEryajfVector()
    {
        Assert.Equal(HeaderSign, DingTalkSignature.ComputeSign(HeaderTimestamp, HeaderSecret));
    }

    [Fact]
    public void Verify_ReturnsOk_WhenHeadersMatchVectorAndClockAgrees()
    {
        var (signature, _) = Create(HeaderSecret, long.Parse(HeaderTimestamp) + 1_000);

        Assert.Equal(DingTalkSignatureResult.Ok, signature.Verify(HeaderTimestamp, HeaderSign));
    }

    [Fact]
    public void Verify_ReturnsMismatch_WhenAppSecretIsTheVectorsNegativeCase()
    {
        var (signature, _) = Create((string)Header["negative_case"]!["secret"]!, long.Parse(HeaderTimestamp));

        Assert.Equal(DingTalkSignatureResult.Mismatch, signature.Verify(HeaderTimestamp, HeaderSign));
    }

    [Fact]
    public void Verify_ReturnsMismatch_WhenSignIsUrlEncoded()
    {
        // The header carries plain Base64; a URL-encoded value (the custom-robot form) must not pass.
        var (signature, _) = Create(HeaderSecret, long.Parse(HeaderTimestamp));

        Assert.Equal(DingTalkSignatureResult.Mismatch, signature.Verify(HeaderTimestamp, (string)Header["same_value_urlencoded"]!));
    }

    [Fact]
    public void Verify_ReturnsMismatch_WhenTimestampWasAltered()
    {
        var (signature, _) = Create(HeaderSecret, long.Parse(HeaderTimestamp));

        Assert.Equal(DingTalkSignatureResult.Mismatch, signature.Verify((long.Parse(HeaderTimestamp) + 1).ToString(), HeaderSign));
    }

    [Fact]
    public void Verify_ReturnsStale_WhenTimestampIsTwoHoursOld()
    {
        var (signature, _) = Create(HeaderSecret, long.Parse(HeaderTimestamp) + (long)TimeSpan.FromHours(2).TotalMilliseconds);

        Assert.Equal(DingTalkSignatureResult.Stale, signature.Verify(HeaderTimestamp, HeaderSign));
    }

    [Fact]
    public void Verify_ReturnsStale_WhenTimestampIsInTheFutureBeyondSkew()
    {
        var (signature, _) = Create(HeaderSecret, long.Parse(HeaderTimestamp) - (long)TimeSpan.FromMinutes(61).TotalMilliseconds);

        Assert.Equal(DingTalkSignatureResult.Stale, signature.Verify(HeaderTimestamp, HeaderSign));
    }

    [Fact]
    public void Verify_ReturnsOk_WhenTimestampIsJustInsideTheSkew()
    {
        var (signature, _) = Create(HeaderSecret, long.Parse(HeaderTimestamp) + (long)TimeSpan.FromMinutes(59).TotalMilliseconds);

        Assert.Equal(DingTalkSignatureResult.Ok, signature.Verify(HeaderTimestamp, HeaderSign));
    }

    [Theory]
    [InlineData(null, "sign")]
    [InlineData("", "sign")]
    [InlineData("1684493546276", null)]
    [InlineData("1684493546276", "")]
    [InlineData("not-a-number", "sign")]
    public void Verify_ReturnsMissing_WhenAHeaderIsAbsentOrUnusable(string? timestamp, string? sign)
    {
        var (signature, _) = Create(HeaderSecret, long.Parse(HeaderTimestamp));

        Assert.Equal(DingTalkSignatureResult.Missing, signature.Verify(timestamp, sign));
    }

    [Fact]
    public void SignWebhookUrl_AppendsDerivedVectorSuffix_WhenUrlHasAccessTokenQuery()
    {
        const string webhook = "https://oapi.dingtalk.com/robot/send?access_token=abc123";

        var signed = DingTalkSignature.SignWebhookUrl(webhook, (string)Custom["secret"]!, long.Parse((string)Custom["timestamp"]!));

        Assert.Equal(webhook + (string)Custom["webhook_query_suffix"]!, signed);
    }

    [Fact]
    public void SignWebhookUrl_StartsTheQuery_WhenUrlHasNone()
    {
        var signed = DingTalkSignature.SignWebhookUrl("https://example.test/hook", (string)Custom["secret"]!, long.Parse((string)Custom["timestamp"]!));

        Assert.Equal($"https://example.test/hook?timestamp={(string)Custom["timestamp"]!}&sign={(string)Custom["expected_sign_urlencoded"]!}", signed);
    }

    [Fact]
    public void SignWebhookUrl_UsesTheInjectedClock()
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(long.Parse((string)Custom["timestamp"]!)));

        var signed = DingTalkSignature.SignWebhookUrl("https://oapi.dingtalk.com/robot/send?access_token=t", (string)Custom["secret"]!, time);

        Assert.EndsWith((string)Custom["webhook_query_suffix"]!, signed);
    }

    [Fact]
    public void ComputeSign_MatchesDerivedCustomRobotVector()
    {
        Assert.Equal((string)Custom["expected_sign_base64"]!, DingTalkSignature.ComputeSign((string)Custom["timestamp"]!, (string)Custom["secret"]!));
    }
}
