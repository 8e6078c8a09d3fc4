using ChatBot.Core.Domain;
using ChatBot.IntegrationTests.Conversation;
using Microsoft.EntityFrameworkCore;

namespace ChatBot.IntegrationTests.Content;

/// <summary>The chat quiz with a multiple-choice question, graded by <see cref="QuizQuestion.IsCorrect"/> through EfStudyService.</summary>
public sealed class MultipleChoiceQuizTests : IAsyncLifetime
{
    private EngineHarness _h = null!;

    public async Task InitializeAsync()
    {
        _h = await EngineHarness.StartSqliteAsync();
        await _h.WithDbAsync(async db =>
        {
            var second = await db.QuizQuestions.SingleAsync(q => q.ContentItemId == _h.Data.Lesson.Id && q.Order == 2);
            second.Kind = QuizQuestionKind.Multiple;
            second.Text = "消费者投诉时，哪些做法正确？";
            second.OptionA = "置之不理";
            second.OptionB = "及时妥善处理";
            second.OptionC = "留存处理记录";
            second.CorrectOptions = "BC";
            second.Explanation = "及时处理并留存记录，才能查清问题。";
            return await db.SaveChangesAsync();
        });
        await _h.BindAsync("u1", _h.Data.Members[0].Id);
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task AllTheRightLetters_InAnyOrder_AreRight()
    {
        await _h.SendAsync("u1", "答题");
        // Several letters for a single choice are asked again, not graded.
        Assert.Contains("这是单选题", await _h.SendAsync("u1", "AB"));
        var second = await _h.SendAsync("u1", "A");
        Assert.Contains("✅ 回答正确", second);
        Assert.Contains("第 2/2 题（多选", second);
        Assert.Contains("C. 留存处理记录", second);
        Assert.Contains("这是多选题", await _h.SendAsync("u1", "BD"));

        var done = await _h.SendAsync("u1", "c、b");
        Assert.Contains("✅ 回答正确", done);
        Assert.Contains("及时处理并留存记录", done); // the explanation, shown after a right answer too
        Assert.Contains("答对 2/2", done);
        Assert.Contains("得分 100", done);
    }

    [Fact]
    public async Task PartOfTheRightLetters_IsWrong_AndTheFullAnswerIsShown()
    {
        await _h.SendAsync("u1", "答题");
        await _h.SendAsync("u1", "A");
        var done = await _h.SendAsync("u1", "B");
        Assert.Contains("❌ 正确答案是 BC：及时妥善处理；留存处理记录", done);
        Assert.Contains("及时处理并留存记录", done);
        Assert.Contains("答对 1/2", done);
    }
}
