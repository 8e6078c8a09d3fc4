using ChatBot.Host.Admin;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ChatBot.Host.Members.Pages;

/// <summary>CSV import with its validation report; nothing is written unless every row is good.</summary>
[RequestSizeLimit(MemberCsv.MaxBytes + 64 * 1024)]
[RequestFormLimits(MultipartBodyLengthLimit = MemberCsv.MaxBytes + 64 * 1024)]
public sealed class ImportModel(MemberCsvImporter importer, OrganisationScope scope) : PageModel
{
    public ImportResult? Report { get; private set; }
    public string? FileName { get; private set; }

    public void OnGet()
    {
    }

    public IActionResult OnGetExample() => File(MemberCsv.Example(), "text/csv; charset=utf-8", "members-example.csv");

    public async Task<IActionResult> OnPostAsync(IFormFile? file, CancellationToken ct)
    {
        if (file is null || file.Length == 0)
        {
            Report = ImportResult.Refused(new ImportProblem(0, "请选择要导入的 CSV 文件。"));
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        if (file.Length > MemberCsv.MaxBytes)
        {
            Report = ImportResult.Refused(new ImportProblem(0, "文件超过 2 MB，请分批导入。"));
            Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            return Page();
        }
        FileName = Path.GetFileName(file.FileName);
        using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer, ct);
        Report = await importer.ImportAsync(scope, buffer.ToArray(), ct);
        if (!Report.Applied) Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return Page();
    }
}
