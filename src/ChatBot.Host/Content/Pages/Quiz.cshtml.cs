using ChatBot.Core.Domain;
using ChatBot.Host.Admin;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ChatBot.Host.Content.Pages;

/// <summary>One question row of the quiz editor (<c>Questions[i].*</c>); a row without text and options is dropped.</summary>
public sealed class QuestionRow
{
    public QuizQuestionKind Kind { get; set; }
    public string? Text { get; set; }
    public string? OptionA { get; set; }
    public string? OptionB { get; set; }
    public string? OptionC { get; set; }
    public string? OptionD { get; set; }
    /// <summary>The ticked letters.</summary>
    public List<string> Correct { get; set; } = [];
    public string? Explanation { get; set; }
    /// <summary>Ticked: the question is removed on save.</summary>
    public bool Remove { get; set; }

    public bool IsBlank => string.IsNullOrWhiteSpace(Text) && string.IsNullOrWhiteSpace(OptionA) && string.IsNullOrWhiteSpace(OptionB)
        && string.IsNullOrWhiteSpace(OptionC) && string.IsNullOrWhiteSpace(OptionD);

    public QuizQuestionDraft ToDraft() => new()
    {
        Kind = Kind, Text = Text, OptionA = OptionA, OptionB = OptionB, OptionC = OptionC, OptionD = OptionD,
        Correct = string.Concat(Correct), Explanation = Explanation,
    };

    public static QuestionRow From(QuizQuestion q) => new()
    {
        Kind = q.Kind, Text = q.Text, OptionA = q.OptionA, OptionB = q.OptionB, OptionC = q.OptionC, OptionD = q.OptionD,
        Correct = q.CorrectOptions.Select(c => c.ToString()).ToList(), Explanation = q.Explanation,
    };
}

/// <summary>
/// A lesson's quiz: single and multiple choice questions, the right answer(s), an explanation shown after answering.
/// Saved as a whole; saving a published lesson's quiz takes it back to draft for review, like any other edit.
/// </summary>
public sealed class QuizModel(ContentService content, OrganisationScope scope) : PageModel
{
    public const int BlankRows = 1;

    [BindProperty(SupportsGet = true)] public int Id { get; set; }
    [BindProperty] public List<QuestionRow> Questions { get; set; } = [];
    public ContentItem Item { get; private set; } = null!;
    public IDictionary<string, string[]> Errors { get; private set; } = new Dictionary<string, string[]>();
    public string? Message { get; private set; }
    public bool Editable => ContentService.MayChange(scope, Item) && Item.Status is ContentStatus.Draft or ContentStatus.Published;

    public string? Error(int index, string field) =>
        Errors.TryGetValue($"questions[{index}].{field}", out var m) ? m.FirstOrDefault() : null;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await content.GetAsync(scope, Id, ct) is not { Kind: ContentKind.Lesson } item) return NotFound();
        Item = item;
        Questions = [.. item.Questions.OrderBy(q => q.Order).Select(QuestionRow.From), .. Enumerable.Range(0, BlankRows).Select(_ => new QuestionRow())];
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var kept = Questions.Where(q => !q.Remove && !q.IsBlank).ToList();
        var outcome = await content.SaveQuizAsync(scope, Id, kept.Select(q => q.ToDraft()).ToList(), ct);
        if (outcome.Kind == ContentOutcomeKind.NotFound || await content.GetAsync(scope, Id, ct) is not { Kind: ContentKind.Lesson } item) return NotFound();
        Item = item;
        if (outcome.Kind == ContentOutcomeKind.Done)
        {
            Message = $"已保存 {item.Questions.Count} 道题。";
            Questions = [.. item.Questions.OrderBy(q => q.Order).Select(QuestionRow.From), .. Enumerable.Range(0, BlankRows).Select(_ => new QuestionRow())];
            return Page();
        }
        Errors = outcome.Errors ?? new Dictionary<string, string[]>();
        // Show what was entered, in the order the errors are numbered.
        Questions = [.. kept, .. Enumerable.Range(0, BlankRows).Select(_ => new QuestionRow())];
        Response.StatusCode = outcome.Kind == ContentOutcomeKind.Forbidden ? StatusCodes.Status403Forbidden
            : Errors.ContainsKey("status") ? StatusCodes.Status409Conflict : StatusCodes.Status400BadRequest;
        return Page();
    }
}
