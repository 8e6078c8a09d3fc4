using ChatBot.Core.Domain;

namespace ChatBot.Host.Content;

/// <summary>The console's Chinese names for content kinds and statuses.</summary>
public static class ContentLabels
{
    public static readonly IReadOnlyList<(ContentKind Kind, string Label)> Kinds =
        [(ContentKind.Policy, "政策解读"), (ContentKind.Lesson, "微党课"), (ContentKind.Notice, "通知公告")];

    public static readonly IReadOnlyList<(ContentStatus Status, string Label)> Statuses =
        [(ContentStatus.Draft, "草稿"), (ContentStatus.Review, "待审核"), (ContentStatus.Published, "已发布"), (ContentStatus.Archived, "已归档")];

    public static string Kind(ContentKind kind) => Kinds.FirstOrDefault(k => k.Kind == kind).Label ?? kind.ToString();

    public static string Status(ContentStatus status) => Statuses.FirstOrDefault(s => s.Status == status).Label ?? status.ToString();

    public static string StatusBadge(ContentStatus status) => status switch
    {
        ContentStatus.Draft => "text-bg-secondary",
        ContentStatus.Review => "text-bg-warning",
        ContentStatus.Published => "text-bg-success",
        _ => "text-bg-dark",
    };
}
