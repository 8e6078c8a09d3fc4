namespace ChatBot.Core.Domain;

/// <summary>What an editor enters for a content item (the console form and the API body alike).</summary>
public sealed record ContentDraft
{
    public ContentKind Kind { get; init; }
    public string? Title { get; init; }
    public string? Summary { get; init; }
    public string? BodyMarkdown { get; init; }
    /// <summary>Labels separated by spaces, commas or 、.</summary>
    public string? Tags { get; init; }
    public string? Keywords { get; init; }
    public int EstimatedMinutes { get; init; }
    public IReadOnlyList<AttachmentDraft>? Attachments { get; init; }
}

public sealed record AttachmentDraft(string? Title, string? Url);

/// <summary>One question as an editor enters it: the right answer(s) as letters ("B", "AC").</summary>
public sealed record QuizQuestionDraft
{
    public QuizQuestionKind Kind { get; init; }
    public string? Text { get; init; }
    public string? OptionA { get; init; }
    public string? OptionB { get; init; }
    public string? OptionC { get; init; }
    public string? OptionD { get; init; }
    public string? Correct { get; init; }
    public string? Explanation { get; init; }
}

/// <summary>
/// Validation of what editors enter, shared by the console and the API. Errors are keyed by the input's field name
/// (camelCase, with indexes: <c>attachments[1].url</c>, <c>questions[0].correct</c>) so both can point at it.
/// </summary>
public static class ContentRules
{
    private static readonly char[] TagSeparators = [' ', ',', '，', '、', ';', '；', '\t', '\n', '\r'];

    /// <summary>"社保，创业 社保" → "社保 创业": trimmed, distinct, in the order given, space-separated.</summary>
    public static string NormalizeTags(string? tags) =>
        string.Join(' ', (tags ?? "").Split(TagSeparators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Distinct(StringComparer.Ordinal));

    /// <summary>Whether <paramref name="url"/> is an absolute http or https address (no javascript:, data:, relative paths).</summary>
    public static bool IsWebAddress(string? url) =>
        Uri.TryCreate(url?.Trim(), UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
        && !string.IsNullOrEmpty(uri.Host);

    public static Dictionary<string, string[]> Validate(ContentDraft draft)
    {
        var errors = new Dictionary<string, string[]>();
        void Fail(string field, string message) => errors[field] = [message];

        if (!Enum.IsDefined(draft.Kind)) Fail("kind", "kind is Policy, Lesson or Notice");
        var title = draft.Title?.Trim() ?? "";
        if (title.Length == 0) Fail("title", "请填写标题。");
        else if (title.Length > ContentItem.MaxTitleLength) Fail("title", $"标题最多 {ContentItem.MaxTitleLength} 字。");
        if ((draft.Summary?.Trim().Length ?? 0) > ContentItem.MaxSummaryLength) Fail("summary", $"摘要最多 {ContentItem.MaxSummaryLength} 字。");
        if ((draft.BodyMarkdown?.Length ?? 0) > ContentItem.MaxBodyLength) Fail("bodyMarkdown", $"正文最多 {ContentItem.MaxBodyLength} 字。");
        if (NormalizeTags(draft.Tags).Length > ContentItem.MaxTagsLength) Fail("tags", $"标签合计最多 {ContentItem.MaxTagsLength} 字。");
        if ((draft.Keywords?.Trim().Length ?? 0) > ContentItem.MaxKeywordsLength) Fail("keywords", $"关键词最多 {ContentItem.MaxKeywordsLength} 字。");
        if (draft.EstimatedMinutes is < 0 or > ContentItem.MaxEstimatedMinutes)
            Fail("estimatedMinutes", $"预计阅读时间在 0 到 {ContentItem.MaxEstimatedMinutes} 分钟之间。");

        var attachments = draft.Attachments ?? [];
        if (attachments.Count > ContentItem.MaxAttachments) Fail("attachments", $"附件链接最多 {ContentItem.MaxAttachments} 个。");
        for (var i = 0; i < attachments.Count; i++)
        {
            var a = attachments[i];
            var aTitle = a.Title?.Trim() ?? "";
            if (aTitle.Length == 0) Fail($"attachments[{i}].title", "请填写附件名称。");
            else if (aTitle.Length > ContentAttachment.MaxTitleLength) Fail($"attachments[{i}].title", $"附件名称最多 {ContentAttachment.MaxTitleLength} 字。");
            var url = a.Url?.Trim() ?? "";
            if (url.Length > ContentAttachment.MaxUrlLength) Fail($"attachments[{i}].url", $"链接最多 {ContentAttachment.MaxUrlLength} 个字符。");
            else if (!IsWebAddress(url)) Fail($"attachments[{i}].url", "链接必须是以 http:// 或 https:// 开头的完整网址。");
        }
        return errors;
    }

    /// <summary>Copies a validated draft onto the item (the kind only when the item is new).</summary>
    public static void Apply(ContentItem item, ContentDraft draft)
    {
        item.Title = draft.Title!.Trim();
        item.Summary = draft.Summary?.Trim() ?? "";
        item.BodyMarkdown = (draft.BodyMarkdown ?? "").Replace("\r\n", "\n", StringComparison.Ordinal);
        item.Tags = NormalizeTags(draft.Tags);
        item.Keywords = draft.Keywords?.Trim() ?? "";
        item.EstimatedMinutes = draft.EstimatedMinutes;
        var attachments = (draft.Attachments ?? []).Select((a, i) => new ContentAttachment { Order = i + 1, Title = a.Title!.Trim(), Url = a.Url!.Trim() }).ToList();
        // Replace in place so EF deletes the old rows and inserts the new ones.
        item.Attachments.Clear();
        item.Attachments.AddRange(attachments);
    }

    /// <summary>Validates a quiz and builds its questions (ordered 1..n); errors keyed <c>questions[i].field</c>.</summary>
    public static List<QuizQuestion> BuildQuiz(IReadOnlyList<QuizQuestionDraft> drafts, out Dictionary<string, string[]> errors)
    {
        errors = new Dictionary<string, string[]>();
        var questions = new List<QuizQuestion>();
        if (drafts.Count > ContentItem.MaxQuestions)
            errors["questions"] = [$"一节课最多 {ContentItem.MaxQuestions} 道题。"];
        for (var i = 0; i < drafts.Count; i++)
        {
            var d = drafts[i];
            var prefix = $"questions[{i}].";
            var local = new Dictionary<string, string>();
            if (!Enum.IsDefined(d.Kind)) local["kind"] = "kind is Single or Multiple";
            var text = d.Text?.Trim() ?? "";
            if (text.Length == 0) local["text"] = "请填写题目。";
            else if (text.Length > 1000) local["text"] = "题目最多 1000 字。";

            string? Option(string? value, string field)
            {
                var v = value?.Trim();
                if (string.IsNullOrEmpty(v)) return null;
                if (v.Length > ContentItem.MaxTitleLength) local[field] = $"选项最多 {ContentItem.MaxTitleLength} 字。";
                return v;
            }
            var a = Option(d.OptionA, "optionA");
            var b = Option(d.OptionB, "optionB");
            var c = Option(d.OptionC, "optionC");
            var dd = Option(d.OptionD, "optionD");
            if (a is null) local["optionA"] = "请填写选项 A。";
            if (b is null) local["optionB"] = "请填写选项 B。";
            if (c is null && dd is not null) local["optionC"] = "有选项 D 时请先填写选项 C。";
            var letters = new List<char> { 'A', 'B' };
            if (c is not null) letters.Add('C');
            if (dd is not null) letters.Add('D');

            var correct = QuizGrading.Normalize(new string((d.Correct ?? "").Where(ch => !char.IsWhiteSpace(ch) && ch is not (',' or '，' or '、')).ToArray()));
            if (correct is null) local["correct"] = "请选出正确答案。";
            else if (correct.Any(ch => !letters.Contains(ch))) local["correct"] = "正确答案必须是已填写的选项。";
            else if (d.Kind == QuizQuestionKind.Single && correct.Length != 1) local["correct"] = "单选题只能有一个正确答案。";

            var explanation = d.Explanation?.Trim();
            if (explanation?.Length > 2000) local["explanation"] = "解析最多 2000 字。";

            foreach (var (field, message) in local) errors[prefix + field] = [message];
            if (local.Count == 0)
                questions.Add(new QuizQuestion
                {
                    Order = i + 1, Kind = d.Kind, Text = text, OptionA = a!, OptionB = b!, OptionC = c, OptionD = dd,
                    CorrectOptions = correct!, Explanation = string.IsNullOrEmpty(explanation) ? null : explanation,
                });
        }
        return questions;
    }
}
