using ChatBot.Core.Demo;
using ChatBot.Core.Domain;

namespace ChatBot.UnitTests.Demo;

public sealed class DemoContentTests
{
    private static readonly DateTime Now = new(2025, 3, 1, 8, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Policies_AreAtLeastFifteenPublishedPolicies_WithSearchableText()
    {
        var policies = DemoContent.Policies(Now);

        Assert.True(policies.Count >= 15, $"only {policies.Count} policies");
        Assert.All(policies, p =>
        {
            Assert.Equal(ContentKind.Policy, p.Kind);
            Assert.Equal(ContentStatus.Published, p.Status);
            Assert.Equal(0, p.Id);
            Assert.NotNull(p.PublishedAt);
            Assert.True(p.PublishedAt <= Now, p.Title);
            Assert.False(string.IsNullOrWhiteSpace(p.Summary), p.Title);
            Assert.True(p.Keywords.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length >= 5, p.Title);
            Assert.True(p.BodyMarkdown.Length >= 200, $"{p.Title}: body of {p.BodyMarkdown.Length} chars");
            Assert.Contains("## ", p.BodyMarkdown, StringComparison.Ordinal);
        });
        Assert.Equal(policies.Count, policies.Select(p => p.Title).Distinct().Count());
    }

    [Fact]
    public void Policies_HedgeOnLocalRules()
    {
        var hedged = DemoContent.Policies(Now).Count(p => p.BodyMarkdown.Contains("为准", StringComparison.Ordinal));

        Assert.True(hedged >= 10, $"only {hedged} policies point to local rules");
    }

    [Fact]
    public void Lessons_AreFivePublishedLessons_WithThreeToFourQuizQuestions()
    {
        var lessons = DemoContent.Lessons(Now);

        Assert.Equal(5, lessons.Count);
        Assert.All(lessons, lesson =>
        {
            Assert.Equal(ContentKind.Lesson, lesson.Kind);
            Assert.Equal(ContentStatus.Published, lesson.Status);
            Assert.NotNull(lesson.PublishedAt);
            Assert.InRange(lesson.EstimatedMinutes, 1, 15);
            Assert.False(string.IsNullOrWhiteSpace(lesson.Summary));
            Assert.Contains("## ", lesson.BodyMarkdown, StringComparison.Ordinal);
            Assert.InRange(lesson.Questions.Count, 3, 4);
            Assert.Equal(Enumerable.Range(1, lesson.Questions.Count), lesson.Questions.Select(q => q.Order));
        });
    }

    [Fact]
    public void LessonQuestions_HaveFourOptionsAndAnAnswerAmongThem()
    {
        var questions = DemoContent.Lessons(Now).SelectMany(l => l.Questions).ToList();

        Assert.All(questions, q =>
        {
            var options = q.Options().ToList();
            Assert.Equal(4, options.Count);
            Assert.Single(q.CorrectOptions);
            Assert.Contains(options, o => o.Letter == q.CorrectOptions[0]);
            Assert.Equal(4, options.Select(o => o.Text).Distinct().Count());
            Assert.False(string.IsNullOrWhiteSpace(q.Explanation), q.Text);
        });
    }

    [Fact]
    public void LessonAnswers_AreNotAllTheSameLetter()
    {
        var letters = DemoContent.Lessons(Now).SelectMany(l => l.Questions).Select(q => q.CorrectOptions).Distinct();

        Assert.True(letters.Count() >= 3);
    }

    [Fact]
    public void Content_IsNewInstancesOnEveryCall()
    {
        var first = DemoContent.Policies(Now)[0];
        first.Title = "changed";

        Assert.NotEqual("changed", DemoContent.Policies(Now)[0].Title);
    }
}
