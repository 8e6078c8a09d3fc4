namespace ChatBot.Core.Domain;

public enum ContentKind
{
    Policy = 0,
    Lesson = 1,
    Notice = 2,
}

public enum ContentStatus
{
    Draft = 0,
    Review = 1,
    Published = 2,
    /// <summary>Withdrawn for good: out of search, member pages, lessons and quizzes; kept for the record.</summary>
    Archived = 3,
}

/// <summary>
/// A policy guide, micro-lesson or notice, with its editorial workflow: draft → review → published (or back to draft
/// with the reviewer's comment), and archived. The rules live here so the console page and the API cannot differ:
/// a reviewer must be a different person from the author, from whoever submitted it and from whoever last edited it.
/// </summary>
public class ContentItem
{
    public const int MaxTitleLength = 200;
    public const int MaxSummaryLength = 1000;
    public const int MaxKeywordsLength = 500;
    public const int MaxTagsLength = 200;
    public const int MaxBodyLength = 50_000;
    public const int MaxAttachments = 10;
    public const int MaxCommentLength = 1000;
    public const int MaxEstimatedMinutes = 240;
    public const int MaxQuestions = 20;

    public int Id { get; set; }
    public ContentKind Kind { get; set; }
    public required string Title { get; set; }
    public string Summary { get; set; } = "";
    public string BodyMarkdown { get; set; } = "";
    /// <summary>Space-separated search keywords an editor adds (synonyms members actually type).</summary>
    public string Keywords { get; set; } = "";
    /// <summary>Space-separated labels for the console's filter ("社保 创业"), see <see cref="ContentRules.NormalizeTags"/>.</summary>
    public string Tags { get; set; } = "";
    public ContentStatus Status { get; set; }
    public int EstimatedMinutes { get; set; }
    /// <summary>Null: for the whole committee (changed by 超级管理员 only).</summary>
    public int? OrganisationId { get; set; }
    public DateTime? PublishedAt { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }

    /// <summary>Console user (or "apikey:name") who created the item; null for seeded or imported items.</summary>
    public string? AuthorName { get; set; }
    public string? LastEditedBy { get; set; }
    public string? SubmittedBy { get; set; }
    public DateTime? SubmittedAt { get; set; }
    /// <summary>Who approved or rejected the item last, when, and the rejection's comment (null once approved).</summary>
    public string? ReviewedBy { get; set; }
    public DateTime? ReviewedAt { get; set; }
    public string? ReviewComment { get; set; }
    public string? ArchivedBy { get; set; }
    public DateTime? ArchivedAt { get; set; }

    public List<QuizQuestion> Questions { get; set; } = [];
    public List<ContentAttachment> Attachments { get; set; } = [];

    /// <summary>Whether <paramref name="actor"/> may approve or reject this item: not its author, submitter or last editor.</summary>
    public bool MayBeReviewedBy(string actor) =>
        !string.Equals(actor, AuthorName, StringComparison.OrdinalIgnoreCase)
        && !string.Equals(actor, SubmittedBy, StringComparison.OrdinalIgnoreCase)
        && !string.Equals(actor, LastEditedBy, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Before a change to the text, attachments or quiz: allowed for a draft, and for a published item, which goes
    /// back to draft (out of search and member pages) until it is reviewed again. Refused in review and once archived.
    /// </summary>
    public void BeginEdit(string actor, DateTime nowUtc)
    {
        switch (Status)
        {
            case ContentStatus.Review:
                throw new ContentRuleException("status", "审核中的内容不能修改：请审核人先退回。");
            case ContentStatus.Archived:
                throw new ContentRuleException("status", "已归档的内容不能修改。");
        }
        Status = ContentStatus.Draft;
        LastEditedBy = actor;
        UpdatedAt = nowUtc;
    }

    /// <summary>Draft → review.</summary>
    public void Submit(string actor, DateTime nowUtc)
    {
        if (Status != ContentStatus.Draft)
            throw new ContentRuleException("status", "只有草稿可以提交审核。");
        if (string.IsNullOrWhiteSpace(BodyMarkdown))
            throw new ContentRuleException("bodyMarkdown", "正文为空，不能提交审核。");
        Status = ContentStatus.Review;
        SubmittedBy = actor;
        SubmittedAt = nowUtc;
        UpdatedAt = nowUtc;
    }

    /// <summary>Review → published, by a second person.</summary>
    public void Approve(string reviewer, DateTime nowUtc)
    {
        if (Status != ContentStatus.Review)
            throw new ContentRuleException("status", "只有审核中的内容可以通过。");
        if (!MayBeReviewedBy(reviewer))
            throw new ContentRuleException("reviewer", "不能审核自己撰写、修改或提交的内容：请另一位管理员审核。");
        Status = ContentStatus.Published;
        ReviewedBy = reviewer;
        ReviewedAt = nowUtc;
        ReviewComment = null;
        PublishedAt = nowUtc;
        UpdatedAt = nowUtc;
    }

    /// <summary>Review → draft with the reviewer's comment, by a second person.</summary>
    public void Reject(string reviewer, string? comment, DateTime nowUtc)
    {
        if (Status != ContentStatus.Review)
            throw new ContentRuleException("status", "只有审核中的内容可以退回。");
        if (!MayBeReviewedBy(reviewer))
            throw new ContentRuleException("reviewer", "不能审核自己撰写、修改或提交的内容：请另一位管理员审核。");
        var text = comment?.Trim() ?? "";
        if (text.Length == 0) throw new ContentRuleException("comment", "请写明退回原因。");
        if (text.Length > MaxCommentLength) throw new ContentRuleException("comment", $"退回原因最多 {MaxCommentLength} 字。");
        Status = ContentStatus.Draft;
        ReviewedBy = reviewer;
        ReviewedAt = nowUtc;
        ReviewComment = text;
        UpdatedAt = nowUtc;
    }

    /// <summary>Any status → archived (for good).</summary>
    public void Archive(string actor, DateTime nowUtc)
    {
        if (Status == ContentStatus.Archived)
            throw new ContentRuleException("status", "该内容已归档。");
        Status = ContentStatus.Archived;
        ArchivedBy = actor;
        ArchivedAt = nowUtc;
        UpdatedAt = nowUtc;
    }
}

/// <summary>A link shown under the body (a PDF, an official notice): a title and an http(s) address.</summary>
public class ContentAttachment
{
    public const int MaxTitleLength = 100;
    public const int MaxUrlLength = 1000;

    public int Id { get; set; }
    public int ContentItemId { get; set; }
    public int Order { get; set; }
    public required string Title { get; set; }
    public required string Url { get; set; }
}

/// <summary>A change the content rules refuse; <see cref="Field"/> names the input (for problem details and forms).</summary>
public sealed class ContentRuleException(string field, string message) : Exception(message)
{
    public string Field { get; } = field;
}

public enum QuizQuestionKind
{
    /// <summary>One right answer; the member replies one letter.</summary>
    Single = 0,
    /// <summary>One or more right answers; the member replies all of them ("AC") and must get exactly that set.</summary>
    Multiple = 1,
}

public class QuizQuestion
{
    public int Id { get; set; }
    public int ContentItemId { get; set; }
    public int Order { get; set; }
    public QuizQuestionKind Kind { get; set; }
    public required string Text { get; set; }
    public required string OptionA { get; set; }
    public required string OptionB { get; set; }
    public string? OptionC { get; set; }
    public string? OptionD { get; set; }
    /// <summary>The right letters, ascending and distinct: "B" for a single choice, "AC" for a multiple choice.</summary>
    public string CorrectOptions { get; set; } = "";
    /// <summary>Shown after the member answers (right or wrong).</summary>
    public string? Explanation { get; set; }

    public IEnumerable<(char Letter, string Text)> Options()
    {
        yield return ('A', OptionA);
        yield return ('B', OptionB);
        if (OptionC is not null) yield return ('C', OptionC);
        if (OptionD is not null) yield return ('D', OptionD);
    }

    /// <summary>The grading rule, see <see cref="QuizGrading.IsCorrect"/>.</summary>
    public bool IsCorrect(string answerLetters) => QuizGrading.IsCorrect(CorrectOptions, answerLetters);
}

/// <summary>
/// How a quiz answer is graded, in one place for the chat quiz, member pages and any API: the answer is right when
/// its set of letters equals the set of right letters — all of them and no other (no partial credit). Order, case
/// and repeats do not matter ("ca" = "AC").
/// </summary>
public static class QuizGrading
{
    /// <summary>"ca" → "AC": upper case, distinct, ascending; null when anything but the letters A–D is in it.</summary>
    public static string? Normalize(string? letters)
    {
        if (string.IsNullOrEmpty(letters)) return null;
        var set = new SortedSet<char>();
        foreach (var raw in letters)
        {
            var c = char.ToUpperInvariant(raw);
            if (c is < 'A' or > 'D') return null;
            set.Add(c);
        }
        return set.Count == 0 ? null : string.Concat(set);
    }

    public static bool IsCorrect(string correctLetters, string? answerLetters) =>
        Normalize(answerLetters) is { } answer && Normalize(correctLetters) is { } correct && answer == correct;
}

public class StudyTask
{
    public int Id { get; set; }
    public int OrganisationId { get; set; }
    public required string Title { get; set; }
    public int ContentItemId { get; set; }
    public ContentItem? ContentItem { get; set; }
    public DateTime DueAt { get; set; }
    /// <summary>Quiz score (percent) needed to complete the task.</summary>
    public int PassScore { get; set; } = 60;
    public DateTime CreatedAt { get; set; }
}

public enum AssignmentStatus
{
    Pending = 0,
    Completed = 1,
}

public class StudyAssignment
{
    public int Id { get; set; }
    public int StudyTaskId { get; set; }
    public StudyTask? StudyTask { get; set; }
    public int MemberId { get; set; }
    public Member? Member { get; set; }
    public AssignmentStatus Status { get; set; }
    public int? Score { get; set; }
    /// <summary>When the member first opened the lesson from their own link (学习进度: 已阅读).</summary>
    public DateTime? ReadAt { get; set; }
    public DateTime? CompletedAt { get; set; }
    public int RemindersSent { get; set; }
    public DateTime? LastRemindedAt { get; set; }
}
