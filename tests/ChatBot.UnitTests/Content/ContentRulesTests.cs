using ChatBot.Core.Conversation.Handlers;
using ChatBot.Core.Domain;

namespace ChatBot.UnitTests.Content;

public sealed class ContentWorkflowTests
{
    private static readonly DateTime Now = new(2026, 11, 23, 2, 0, 0, DateTimeKind.Utc);

    private static ContentItem Draft(string author = "alice") => new()
    {
        Title = "个体工商户年报", BodyMarkdown = "每年 1 月 1 日至 6 月 30 日报送。", Status = ContentStatus.Draft,
        AuthorName = author, LastEditedBy = author, CreatedAt = Now, UpdatedAt = Now,
    };

    [Fact]
    public void Author_CannotApproveTheirOwnItem_ASecondPersonCan()
    {
        var item = Draft();
        item.Submit("alice", Now);

        var refused = Assert.Throws<ContentRuleException>(() => item.Approve("alice", Now));
        Assert.Equal("reviewer", refused.Field);
        Assert.Equal(ContentStatus.Review, item.Status);
        // Names are compared without case: "Alice" is the same account.
        Assert.Throws<ContentRuleException>(() => item.Approve("ALICE", Now));

        item.Approve("bob", Now.AddHours(1));
        Assert.Equal(ContentStatus.Published, item.Status);
        Assert.Equal("bob", item.ReviewedBy);
        Assert.Equal(Now.AddHours(1), item.ReviewedAt);
        Assert.Equal(Now.AddHours(1), item.PublishedAt);
        Assert.Equal("alice", item.SubmittedBy);
    }

    [Fact]
    public void WhoeverSubmittedOrLastEdited_CannotReviewEither()
    {
        var item = Draft("alice");
        item.BeginEdit("carol", Now);
        item.Submit("dave", Now);

        Assert.False(item.MayBeReviewedBy("alice"));
        Assert.False(item.MayBeReviewedBy("carol"));
        Assert.False(item.MayBeReviewedBy("dave"));
        Assert.True(item.MayBeReviewedBy("erin"));
        Assert.Throws<ContentRuleException>(() => item.Reject("carol", "改一下", Now));
    }

    [Fact]
    public void Reject_NeedsAComment_AndReturnsToDraftWithIt()
    {
        var item = Draft();
        item.Submit("alice", Now);
        Assert.Equal("comment", Assert.Throws<ContentRuleException>(() => item.Reject("bob", "  ", Now)).Field);

        item.Reject("bob", "请补充办理地点", Now);
        Assert.Equal(ContentStatus.Draft, item.Status);
        Assert.Equal("请补充办理地点", item.ReviewComment);
        Assert.Equal("bob", item.ReviewedBy);
        // Approval clears the old comment.
        item.Submit("alice", Now);
        item.Approve("bob", Now);
        Assert.Null(item.ReviewComment);
    }

    [Fact]
    public void Status_Steps_AreEnforced()
    {
        var item = Draft();
        Assert.Equal("status", Assert.Throws<ContentRuleException>(() => item.Approve("bob", Now)).Field);
        Assert.Equal("bodyMarkdown", Assert.Throws<ContentRuleException>(() => new ContentItem { Title = "空", AuthorName = "a" }.Submit("a", Now)).Field);
        item.Submit("alice", Now);
        Assert.Equal("status", Assert.Throws<ContentRuleException>(() => item.Submit("alice", Now)).Field);
        // In review nobody edits: the reviewer must see what they approve.
        Assert.Equal("status", Assert.Throws<ContentRuleException>(() => item.BeginEdit("bob", Now)).Field);
    }

    [Fact]
    public void EditingAPublishedItem_TakesItBackToDraft()
    {
        var item = Draft();
        item.Submit("alice", Now);
        item.Approve("bob", Now);

        item.BeginEdit("bob", Now.AddDays(1));
        Assert.Equal(ContentStatus.Draft, item.Status);
        Assert.Equal("bob", item.LastEditedBy);
        Assert.False(item.MayBeReviewedBy("bob"));
    }

    [Fact]
    public void Archive_FromAnyStatus_ThenNothingChanges()
    {
        var item = Draft();
        item.Archive("bob", Now);
        Assert.Equal(ContentStatus.Archived, item.Status);
        Assert.Equal("bob", item.ArchivedBy);
        Assert.Throws<ContentRuleException>(() => item.Archive("bob", Now));
        Assert.Throws<ContentRuleException>(() => item.BeginEdit("alice", Now));
        Assert.Throws<ContentRuleException>(() => item.Submit("alice", Now));
    }
}

public sealed class ContentInputTests
{
    [Theory]
    [InlineData("javascript:alert(1)")]
    [InlineData("JavaScript:alert(1)")]
    [InlineData("data:text/html,<script>alert(1)</script>")]
    [InlineData("/relative/path")]
    [InlineData("ftp://example.org/file")]
    [InlineData("https://")]
    public void Attachments_MustBeHttpOrHttps(string url)
    {
        var errors = ContentRules.Validate(new ContentDraft { Title = "标题", Attachments = [new AttachmentDraft("通知", "https://gov.example/a.pdf"), new AttachmentDraft("附件", url)] });
        Assert.Equal(["attachments[1].url"], errors.Keys);
    }

    [Fact]
    public void Validate_NamesEachField()
    {
        var errors = ContentRules.Validate(new ContentDraft
        {
            Title = " ", EstimatedMinutes = -1, Summary = new string('摘', ContentItem.MaxSummaryLength + 1),
            Attachments = [new AttachmentDraft("", "http://example.org")],
        });
        Assert.Equal(["attachments[0].title", "estimatedMinutes", "summary", "title"], errors.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Tags_AreNormalised()
    {
        Assert.Equal("社保 创业 年报", ContentRules.NormalizeTags(" 社保，创业、年报 社保 "));
    }

    [Fact]
    public void Apply_StoresTrimmedValues_AndAttachmentsInOrder()
    {
        var item = new ContentItem { Title = "" };
        ContentRules.Apply(item, new ContentDraft
        {
            Title = " 标题 ", BodyMarkdown = "a\r\nb", Tags = "甲,乙",
            Attachments = [new AttachmentDraft(" 一 ", " https://a.example/1 "), new AttachmentDraft("二", "http://a.example/2")],
        });
        Assert.Equal("标题", item.Title);
        Assert.Equal("a\nb", item.BodyMarkdown);
        Assert.Equal("甲 乙", item.Tags);
        Assert.Equal([(1, "一", "https://a.example/1"), (2, "二", "http://a.example/2")], item.Attachments.Select(a => (a.Order, a.Title, a.Url)));
    }
}

public sealed class QuizRulesTests
{
    private static QuizQuestion Multiple(string correct) => new()
    {
        Kind = QuizQuestionKind.Multiple, Text = "哪些是党员的义务？", OptionA = "学习", OptionB = "旷会", OptionC = "交纳党费", OptionD = "隐瞒", CorrectOptions = correct,
    };

    [Theory]
    [InlineData("AC", true)]
    [InlineData("CA", true)]
    [InlineData("ca", true)]
    [InlineData("ACC", true)]
    [InlineData("A", false)]
    [InlineData("ABC", false)]
    [InlineData("", false)]
    [InlineData("AE", false)]
    public void MultipleChoice_IsRightOnlyWithExactlyTheRightSet(string answer, bool right) =>
        Assert.Equal(right, Multiple("AC").IsCorrect(answer));

    [Fact]
    public void SingleChoice_IsRightWithTheOneLetter()
    {
        var q = new QuizQuestion { Text = "?", OptionA = "甲", OptionB = "乙", CorrectOptions = "B" };
        Assert.True(q.IsCorrect("b"));
        Assert.False(q.IsCorrect("A"));
        Assert.False(q.IsCorrect("AB"));
    }

    [Theory]
    [InlineData("A", "A")]
    [InlineData("b.", "B")]
    [InlineData("选C", "C")]
    [InlineData("AC", "AC")]
    [InlineData("ca", "AC")]
    [InlineData("A C", "AC")]
    [InlineData("A,C", "AC")]
    [InlineData("a、c", "AC")]
    [InlineData("选AC", "AC")]
    [InlineData("答案是BD", "BD")]
    [InlineData("不知道", null)]
    [InlineData("AE", null)]
    [InlineData("学习", null)]
    [InlineData("ABCDA", null)]
    public void AnswerParser_ReadsOneOrSeveralLetters(string text, string? expected) =>
        Assert.Equal(expected, AnswerParser.Parse(text));

    [Fact]
    public void BuildQuiz_ChecksAnswersAgainstTheOptions()
    {
        var questions = ContentRules.BuildQuiz(
        [
            new QuizQuestionDraft { Kind = QuizQuestionKind.Single, Text = "一", OptionA = "甲", OptionB = "乙", Correct = "AB" },
            new QuizQuestionDraft { Kind = QuizQuestionKind.Multiple, Text = "二", OptionA = "甲", OptionB = "乙", OptionC = "丙", Correct = "AD" },
            new QuizQuestionDraft { Kind = QuizQuestionKind.Multiple, Text = "三", OptionA = "甲", OptionB = "乙", Correct = "" },
            new QuizQuestionDraft { Kind = QuizQuestionKind.Single, Text = "四", OptionA = "甲", OptionB = "乙", OptionD = "丁", Correct = "A" },
            new QuizQuestionDraft { Kind = QuizQuestionKind.Multiple, Text = " 五 ", OptionA = "甲", OptionB = "乙", OptionC = "丙", Correct = "C, A", Explanation = " 因为 " },
        ], out var errors);

        Assert.Equal(["questions[0].correct", "questions[1].correct", "questions[2].correct", "questions[3].optionC"], errors.Keys.Order(StringComparer.Ordinal));
        var built = Assert.Single(questions);
        Assert.Equal(("五", "AC", 5, "因为"), (built.Text, built.CorrectOptions, built.Order, built.Explanation));
    }
}
