using ChatBot.Core.Features;
using ChatBot.Core.Messaging;

namespace ChatBot.Core.Conversation.Handlers;

/// <summary>学习 / 微党课, 任务, and 答题 as a one-question-at-a-time dialog.</summary>
public sealed class StudyHandler(
    IStudyService study, IMemberLinks links, IReplyTemplates templates, SessionState session, DisplayTime display)
{
    public async Task<OutboundReply> LessonAsync(ConversationContext context, MemberRef member, CancellationToken ct)
    {
        var lesson = await study.NextLessonAsync(member.Id, ct);
        if (lesson is null) return Text("lesson", new { found = false });
        await session.SetChoiceAsync(context.SessionKey, new ChoiceState("lesson", [lesson.Id]), ct);
        return Text("lesson", new
        {
            found = true,
            title = lesson.Title,
            summary = lesson.Summary,
            minutes = lesson.EstimatedMinutes,
            assigned = lesson.Assigned,
            due_days = lesson.DueAt is { } due ? display.DaysUntil(due, context.NowUtc) : (int?)null,
            overdue = lesson.DueAt < context.NowUtc,
            has_quiz = lesson.QuestionCount > 0,
            url = links.Lesson(member.Id, lesson.Id),
        });
    }

    public async Task<OutboundReply> TasksAsync(ConversationContext context, MemberRef member, CancellationToken ct)
    {
        var overview = await study.GetTasksAsync(member.Id, ct);
        return Text("tasks", new
        {
            done = overview.Done,
            total = overview.Total,
            tasks = overview.Pending.Select(t => new
            {
                title = t.Title,
                due_days = display.DaysUntil(t.DueAt, context.NowUtc),
                due_at = display.ToLocal(t.DueAt),
                overdue = t.DueAt < context.NowUtc,
            }).ToList(),
            url = links.Tasks(member.Id),
        });
    }

    public async Task<OutboundReply> StartQuizAsync(ConversationContext context, MemberRef member, CancellationToken ct)
    {
        var choice = await session.GetChoiceAsync(context.SessionKey, ct);
        var lessonId = choice is { Kind: "lesson", Ids.Length: > 0 } ? choice.Ids[0] : (await study.NextLessonAsync(member.Id, ct))?.Id;
        if (lessonId is null) return Text("quiz", new { outcome = "none" });
        var questions = await study.GetQuizAsync(lessonId.Value, ct);
        var lesson = await study.GetLessonAsync(lessonId.Value, ct);
        if (questions.Count == 0 || lesson is null) return Text("quiz", new { outcome = "none" });

        var state = new DialogState(DialogState.Quiz, lessonId.Value, 0, 0, questions.Select(q => q.Id).ToArray());
        await session.SetDialogAsync(context.SessionKey, state, ct);
        return Text("quiz", new { outcome = "start", title = lesson.Title, count = questions.Count, question = QuestionModel(questions[0], 1, questions.Count) });
    }

    /// <summary>Handles a reply while a quiz is open. Returns null when the text is a different command (the quiz is left).</summary>
    public async Task<OutboundReply?> ContinueQuizAsync(
        ConversationContext context, MemberRef member, DialogState state, ParsedCommand? command, CancellationToken ct)
    {
        if (command?.Name == CommandName.Cancel)
        {
            await session.ClearDialogAsync(context.SessionKey, ct);
            return Text("quiz", new { outcome = "cancelled" });
        }

        var answer = AnswerParser.Parse(context.Text);
        if (answer is null)
        {
            if (command is not null)
            {
                await session.ClearDialogAsync(context.SessionKey, ct);
                return null;
            }
            return Text("quiz", new { outcome = "invalid" });
        }

        var questions = await study.GetQuizAsync(state.LessonId, ct);
        var ids = state.QuestionIds ?? [];
        if (state.Index >= ids.Length || questions.Count == 0)
        {
            await session.ClearDialogAsync(context.SessionKey, ct);
            return Text("quiz", new { outcome = "none" });
        }
        var current = questions.FirstOrDefault(q => q.Id == ids[state.Index]);
        if (current is null) return Text("quiz", new { outcome = "none" });
        // A letter the question does not have, or several letters for a single choice, is asked again (not graded).
        if (!answer.All(letter => current.Options.Any(o => o.Letter == letter)) || (!current.Multiple && answer.Length > 1))
            return Text("quiz", new { outcome = "invalid", multiple = current.Multiple, letters = string.Join("、", current.Options.Select(o => o.Letter)) });

        var right = current.IsCorrect(answer);
        var correct = state.Correct + (right ? 1 : 0);
        var feedback = new
        {
            right,
            multiple = current.Multiple,
            correct_letter = current.Correct,
            correct_text = string.Join("；", current.Options.Where(o => current.Correct.Contains(o.Letter)).Select(o => o.Text)),
            explanation = current.Explanation,
        };

        var nextIndex = state.Index + 1;
        if (nextIndex < ids.Length && questions.FirstOrDefault(q => q.Id == ids[nextIndex]) is { } next)
        {
            await session.SetDialogAsync(context.SessionKey, state with { Index = nextIndex, Correct = correct }, ct);
            return Text("quiz", new { outcome = "next", feedback, question = QuestionModel(next, nextIndex + 1, ids.Length) });
        }

        await session.ClearDialogAsync(context.SessionKey, ct);
        var result = await study.RecordQuizAsync(member.Id, state.LessonId, correct, ids.Length, context.NowUtc, ct);
        return Text("quiz", new
        {
            outcome = "finished",
            feedback,
            correct,
            total = ids.Length,
            score = result.Score,
            passed = result.Passed,
            completed_task = result.CompletedTask,
            points = result.PointsCredited,
        });
    }

    private static object QuestionModel(QuizQuestionView q, int number, int total) => new
    {
        number,
        total,
        text = q.Text,
        multiple = q.Multiple,
        options = q.Options.Select(o => new { letter = o.Letter.ToString(), text = o.Text }).ToList(),
    };

    private OutboundReply Text(string template, object model) => OutboundReply.FromText(templates.Render(template, model));
}

/// <summary>
/// Reads a quiz answer: "A", "a", "Ａ", "选B", "b." for one letter; "AC", "A C", "A,C", "a、c", "选AC" for several.
/// Returns the letters A–D upper case, distinct and ascending ("CA" → "AC"), or null when the text is not an answer.
/// </summary>
public static class AnswerParser
{
    private static readonly char[] Separators = [' ', ',', '，', '、', '/', '+', '和'];

    public static string? Parse(string normalized)
    {
        var s = normalized.Trim().TrimEnd('.', '。', '、', ')', '）');
        if (s.StartsWith("答案", StringComparison.Ordinal)) s = s[2..].Trim().TrimStart('是', ':', '：').Trim();
        else if (s.StartsWith('选')) s = s[1..].Trim();
        var letters = string.Concat(s.Split(Separators, StringSplitOptions.RemoveEmptyEntries));
        if (letters.Length is 0 or > 4) return null;
        return ChatBot.Core.Domain.QuizGrading.Normalize(letters);
    }
}
