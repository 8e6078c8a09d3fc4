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
}

public class ContentItem
{
    public int Id { get; set; }
    public ContentKind Kind { get; set; }
    public required string Title { get; set; }
    public string Summary { get; set; } = "";
    public string BodyMarkdown { get; set; } = "";
    /// <summary>Space-separated search keywords an editor adds (synonyms members actually type).</summary>
    public string Keywords { get; set; } = "";
    public ContentStatus Status { get; set; }
    public int EstimatedMinutes { get; set; }
    /// <summary>Null: for the whole committee.</summary>
    public int? OrganisationId { get; set; }
    public DateTime? PublishedAt { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public List<QuizQuestion> Questions { get; set; } = [];
}

public class QuizQuestion
{
    public int Id { get; set; }
    public int ContentItemId { get; set; }
    public int Order { get; set; }
    public required string Text { get; set; }
    public required string OptionA { get; set; }
    public required string OptionB { get; set; }
    public string? OptionC { get; set; }
    public string? OptionD { get; set; }
    /// <summary>'A'..'D'.</summary>
    public char CorrectOption { get; set; }
    public string? Explanation { get; set; }

    public IEnumerable<(char Letter, string Text)> Options()
    {
        yield return ('A', OptionA);
        yield return ('B', OptionB);
        if (OptionC is not null) yield return ('C', OptionC);
        if (OptionD is not null) yield return ('D', OptionD);
    }
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
