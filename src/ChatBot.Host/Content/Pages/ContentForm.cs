using ChatBot.Core.Domain;

namespace ChatBot.Host.Content.Pages;

/// <summary>The create/edit form's fields, bound as <c>Form.*</c>.</summary>
public sealed class ContentForm
{
    /// <summary>Attachment rows the form offers beyond the existing ones.</summary>
    public const int BlankAttachmentRows = 2;

    public ContentKind Kind { get; set; }
    public string? Title { get; set; }
    public string? Summary { get; set; }
    public string? BodyMarkdown { get; set; }
    public string? Tags { get; set; }
    public string? Keywords { get; set; }
    public int EstimatedMinutes { get; set; }
    /// <summary>Empty: committee-wide (超级管理员 only).</summary>
    public string? OrganisationId { get; set; }
    public List<AttachmentRow> Attachments { get; set; } = [];

    public int? OrganisationIdValue => int.TryParse(OrganisationId, out var id) ? id : null;

    public ContentDraft ToDraft() => new()
    {
        Kind = Kind, Title = Title, Summary = Summary, BodyMarkdown = BodyMarkdown, Tags = Tags, Keywords = Keywords,
        EstimatedMinutes = EstimatedMinutes,
        // A row left blank is no attachment; a half-filled one is validated (and refused) as entered.
        Attachments = Attachments.Where(a => !string.IsNullOrWhiteSpace(a.Title) || !string.IsNullOrWhiteSpace(a.Url))
            .Select(a => new AttachmentDraft(a.Title, a.Url)).ToList(),
    };

    public static ContentForm From(ContentItem item) => new()
    {
        Kind = item.Kind, Title = item.Title, Summary = item.Summary, BodyMarkdown = item.BodyMarkdown, Tags = item.Tags,
        Keywords = item.Keywords, EstimatedMinutes = item.EstimatedMinutes, OrganisationId = item.OrganisationId?.ToString(),
        Attachments = item.Attachments.OrderBy(a => a.Order).Select(a => new AttachmentRow { Title = a.Title, Url = a.Url }).ToList(),
    };

    /// <summary>The rows to show: what was entered plus blank ones.</summary>
    public IReadOnlyList<AttachmentRow> Rows() =>
        Attachments.Where(a => !string.IsNullOrWhiteSpace(a.Title) || !string.IsNullOrWhiteSpace(a.Url))
            .Concat(Enumerable.Range(0, BlankAttachmentRows).Select(_ => new AttachmentRow())).ToList();
}

public sealed class AttachmentRow
{
    public string? Title { get; set; }
    public string? Url { get; set; }
}

/// <summary>What the shared form partial needs.</summary>
public sealed record ContentFieldsView(
    ContentForm Form, IReadOnlyList<(int Id, string Name)> Organisations, bool AllowCommitteeWide, IDictionary<string, string[]> Errors)
{
    public string? Error(string field) => Errors.TryGetValue(field, out var messages) ? messages.FirstOrDefault() : null;
}
