using ChatBot.Core.Conversation;
using ChatBot.Core.Domain;

namespace ChatBot.UnitTests.Domain;

public sealed class UnansweredQuestionTests
{
    [Theory]
    [InlineData("我电话13812345678", "我电话***********")]
    [InlineData("电话 138 1234 5678 找我", "电话 ************* 找我")]
    [InlineData("138-1234-5678", "*************")]
    [InlineData("身份证11010519491231002X", "身份证*****************X")]
    [InlineData("打１３８１２３４５６７８", "打***********")]
    [InlineData("打了12315和12345都没用", "打了12315和12345都没用")]
    [InlineData("123456 是六位", "123456 是六位")]
    [InlineData("  前后空格  ", "前后空格")]
    public void Redact_MasksDigitRunsOfSevenOrMore_AndKeepsShortCodes(string question, string expected)
    {
        Assert.Equal(expected, UnansweredQuestion.Redact(question));
    }

    [Fact]
    public void Redact_CapsTheLength()
    {
        var redacted = UnansweredQuestion.Redact(new string('问', 1000) + "13812345678");

        Assert.Equal(UnansweredQuestion.MaxQuestionLength, redacted.Length);
    }

    [Fact]
    public void Redact_CapsALongNumberRun_AndNeverSplitsASurrogatePair()
    {
        Assert.Equal(UnansweredQuestion.MaxQuestionLength, UnansweredQuestion.Redact(new string('1', 500)).Length);
        var emoji = UnansweredQuestion.Redact(new string('问', UnansweredQuestion.MaxQuestionLength - 1) + "😀");
        Assert.False(char.IsHighSurrogate(emoji[^1]));
    }

    [Fact]
    public void Resolve_RecordsWhoAndWhen_Once()
    {
        var question = new UnansweredQuestion { Question = "q" };
        var at = new DateTime(2026, 12, 1, 0, 0, 0, DateTimeKind.Utc);

        question.Resolve("admin", at);
        question.Resolve("other", at.AddDays(1));

        Assert.Equal(UnansweredStatus.Resolved, question.Status);
        Assert.Equal("admin", question.ResolvedBy);
        Assert.Equal(at, question.ResolvedAt);
    }

    [Theory]
    [InlineData("人工", "")]
    [InlineData("转人工", "")]
    [InlineData("人工 卖熟食要办什么证", "卖熟食要办什么证")]
    [InlineData("人工:卖熟食要办什么证", "卖熟食要办什么证")]
    [InlineData("人工，卖熟食要办什么证", "卖熟食要办什么证")]
    public void Human_IsACommand_WithTheQuestionAsArgument(string text, string argument)
    {
        var parsed = new CommandTable().Parse(TextNormalizer.Normalize(text));

        Assert.Equal(CommandName.Human, parsed?.Name);
        Assert.Equal(argument, parsed?.Argument);
    }

    [Fact]
    public void AQuestionStartingWithTheWord_IsNotTheHumanCommand()
    {
        Assert.Null(new CommandTable().Parse("人工智能能帮我开店吗"));
    }
}
