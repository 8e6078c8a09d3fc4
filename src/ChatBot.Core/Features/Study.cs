using ChatBot.Core.Domain;

namespace ChatBot.Core.Features;

public sealed record LessonSummary(int Id, string Title, string Summary, int EstimatedMinutes, int QuestionCount, bool Assigned, DateTime? DueAt);

/// <summary>A question as the quiz shows it; <see cref="Correct"/> holds the right letters ("B", "AC").</summary>
public sealed record QuizQuestionView(
    int Id, string Text, IReadOnlyList<(char Letter, string Text)> Options, QuizQuestionKind Kind, string Correct, string? Explanation)
{
    public bool Multiple => Kind == QuizQuestionKind.Multiple;

    /// <summary>Graded by the one rule, <see cref="QuizGrading.IsCorrect"/>.</summary>
    public bool IsCorrect(string answerLetters) => QuizGrading.IsCorrect(Correct, answerLetters);
}

public sealed record PendingTask(int TaskId, string Title, int LessonId, DateTime DueAt);

public sealed record TaskOverview(IReadOnlyList<PendingTask> Pending, int Done, int Total);

public sealed record QuizOutcome(int Score, bool Passed, bool CompletedTask, int PointsCredited);

/// <summary>One graded answer of a quiz submitted at once (the member page); <paramref name="Given"/> is "" when unanswered.</summary>
public sealed record GradedAnswer(QuizQuestionView Question, string Given, bool Right);

/// <summary>A whole quiz graded and recorded: the same outcome (score, task, points) as finishing it in chat.</summary>
public sealed record QuizSubmission(QuizOutcome Outcome, int Correct, int Total, IReadOnlyList<GradedAnswer> Answers);

/// <summary>
/// The one rule for whether an answer is right, used by the chat dialog and the member page alike (a new question
/// type changes it here, once).
/// </summary>
/// <summary>Study progress of one branch, for the group command 进度.</summary>
public sealed record BranchTaskProgress(string Title, DateTime DueAt, int Done, int Total, IReadOnlyList<string> PendingNames);

public interface IStudyService
{
    /// <summary>Assigned and unfinished first (earliest due), otherwise the newest published lesson.</summary>
    Task<LessonSummary?> NextLessonAsync(int memberId, CancellationToken ct);

    Task<LessonSummary?> GetLessonAsync(int lessonId, CancellationToken ct);

    Task<IReadOnlyList<QuizQuestionView>> GetQuizAsync(int lessonId, CancellationToken ct);

    Task<TaskOverview> GetTasksAsync(int memberId, CancellationToken ct);

    /// <summary>Records a finished quiz. Passing completes the member's assignments for that lesson and credits points once.</summary>
    Task<QuizOutcome> RecordQuizAsync(int memberId, int lessonId, int correct, int total, DateTime nowUtc, CancellationToken ct);

    /// <summary>Records that the member opened the lesson (学习进度 已阅读) on every assignment of it not yet read.</summary>
    Task MarkLessonReadAsync(int memberId, int lessonId, DateTime nowUtc, CancellationToken ct);

    /// <summary>
    /// Grades a whole quiz answered at once (question id → answer) with <see cref="QuizQuestionView.IsCorrect"/> and records it like
    /// <see cref="RecordQuizAsync"/>; a question left out counts as wrong. Null when the lesson has no quiz.
    /// </summary>
    Task<QuizSubmission?> SubmitQuizAsync(int memberId, int lessonId, IReadOnlyDictionary<int, string> answers, DateTime nowUtc, CancellationToken ct);

    /// <summary>Open tasks of a branch; names only when the branch allows it.</summary>
    Task<IReadOnlyList<BranchTaskProgress>> GetBranchProgressAsync(int organisationId, DateTime nowUtc, CancellationToken ct);
}
