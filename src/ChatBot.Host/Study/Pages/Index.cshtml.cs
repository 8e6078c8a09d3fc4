using ChatBot.Core.Conversation;
using ChatBot.Core.Domain;
using ChatBot.Host.Admin;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ChatBot.Host.Study.Pages;

/// <summary>学习任务: tasks with progress counts, and the assign form (lesson, organisations with subtrees or chosen members, due date, pass score).</summary>
public sealed class IndexModel(StudyConsoleService study, OrganisationScope scope, DisplayTime display, TimeProvider time) : PageModel
{
    public const int PageSize = 50;
    [BindProperty(SupportsGet = true, Name = "p")] public int PageNumber { get; set; } = 1;
    public IReadOnlyList<StudyTaskRow> Items { get; private set; } = [];
    public int Total { get; private set; }
    public IReadOnlyList<(int Id, string Title)> Lessons { get; private set; } = [];
    public IReadOnlyList<(int Id, string Name)> Organisations { get; private set; } = [];
    public string? Error { get; private set; }
    public string? ErrorField { get; private set; }
    public DisplayTime Display => display;
    public DateTime DefaultDue => display.ToLocal(time.GetUtcNow().UtcDateTime).Date.AddDays(8).AddMinutes(-1);

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostCreateAsync(string? title, int lessonId, int[]? organisationIds, string? memberIds, DateTime dueAt, int passScore, CancellationToken ct)
    {
        try
        {
            var members = new List<int>();
            foreach (var part in (memberIds ?? "").Split([',', '，', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                members.Add(int.TryParse(part, out var m) ? m : throw new RuleViolation("memberIds", $"党员编号“{part}”无效"));
            var id = await study.CreateAsync(scope, new StudyTaskInput(title, lessonId, organisationIds ?? [], members, display.ToUtc(dueAt), passScore), ct);
            return Redirect($"/admin/study/{id}");
        }
        catch (RuleViolation ex)
        {
            Error = ex.Message;
            ErrorField = ex.Field;
            Response.StatusCode = StatusCodes.Status400BadRequest;
            await LoadAsync(ct);
            return Page();
        }
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        PageNumber = Math.Max(1, PageNumber);
        (Items, Total) = await study.ListAsync(scope, (PageNumber - 1) * PageSize, PageSize, ct);
        Lessons = await study.LessonsAsync(ct);
        Organisations = await study.OrganisationsAsync(scope, ct);
    }
}
