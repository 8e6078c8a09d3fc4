using System.Globalization;
using System.Text.Json;
using ChatBot.Host.Admin;
using ChatBot.Host.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace ChatBot.Host.Broadcasts.Pages;

/// <summary>
/// 预检 and 确认: the service's preflight (it writes nothing) shown as counts, the unreachable members with why, each
/// channel's rendering; then send now, at a local time, or on a cron with its next five runs.
/// </summary>
public sealed class PreflightModel(BroadcastService broadcasts, BroadcastRoutingPolicy routing, ChatBotDbContext db, OrganisationScope scope, TimeProvider time) : PageModel
{
    public sealed record Unreachable(string Name, string Phone, string Kind, string Reason);

    [BindProperty(SupportsGet = true)] public int Id { get; set; }
    public BroadcastView Broadcast { get; private set; } = null!;
    public PreflightView Summary { get; private set; } = null!;
    public IReadOnlyList<Unreachable> UnreachableRows { get; private set; } = [];
    public string? Error { get; private set; }
    public TimeZoneInfo Zone => routing.TimeZone;
    public string ZoneName => routing.TimeZone.Id;

    [BindProperty] public string Mode { get; set; } = "now";
    [BindProperty] public string? SendAtLocal { get; set; }
    [BindProperty] public string? Cron { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) => await LoadAsync(ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostConfirmAsync(CancellationToken ct)
    {
        var request = new ConfirmRequest();
        switch (Mode)
        {
            case "at":
                if (!DateTime.TryParseExact(SendAtLocal, ["yyyy-MM-ddTHH:mm", "yyyy-MM-ddTHH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
                    return await FailAsync("发送时间：请选择日期和时间", ct);
                var utc = TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), Zone);
                request = new ConfirmRequest { SendAt = new DateTimeOffset(utc, TimeSpan.Zero) };
                break;
            case "cron":
                if (string.IsNullOrWhiteSpace(Cron)) return await FailAsync("周期：请填写 cron 表达式", ct);
                request = new ConfirmRequest { Cron = Cron };
                break;
        }
        var outcome = BroadcastConsole.Unwrap<BroadcastView>(await broadcasts.ConfirmAsync(Id, request, scope, ct));
        if (outcome.NotFound) return NotFound();
        if (!outcome.Ok) return await FailAsync(outcome.ErrorText, ct);
        return Redirect($"/admin/broadcasts/{Id}");
    }

    /// <summary>htmx: the next five runs of the cron being typed, in local time.</summary>
    public IActionResult OnPostCronPreview()
    {
        var runs = BroadcastConsole.NextRuns(Cron, time.GetUtcNow().UtcDateTime, Zone);
        var html = string.IsNullOrWhiteSpace(Cron) ? ""
            : runs.Count == 0 ? "<div class=\"text-danger small\" data-testid=\"cron-invalid\">无效的 cron 表达式（5 段：分 时 日 月 周）</div>"
            : "<div class=\"small\">接下来 5 次（" + System.Net.WebUtility.HtmlEncode(ZoneName) + "）：</div><ol class=\"small mb-0\" data-testid=\"cron-next\">"
              + string.Concat(runs.Select(r => "<li>" + BroadcastConsole.Local(r, Zone) + "</li>")) + "</ol>";
        return Content(html, "text/html; charset=utf-8");
    }

    /// <summary>A sample's JSON, indented, for the &lt;pre&gt; blocks.</summary>
    public static string Pretty(JsonElement element) =>
        JsonSerializer.Serialize(element, new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    /// <summary>A string inside a sample (the 客服 text, the DingTalk markdown), or null.</summary>
    public static string? Text(JsonElement element, params string[] path)
    {
        foreach (var name in path)
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out element)) return null;
        }
        return element.ValueKind == JsonValueKind.String ? element.GetString() : null;
    }

    private async Task<IActionResult> FailAsync(string error, CancellationToken ct)
    {
        Error = error;
        if (!await LoadAsync(ct)) return NotFound();
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        var view = BroadcastConsole.Unwrap<BroadcastView>(await broadcasts.GetAsync(Id, scope, ct));
        if (view.Value is null) return false;
        Broadcast = view.Value;
        var preflight = BroadcastConsole.Unwrap<PreflightView>(await broadcasts.PreflightAsync(Id, scope, ct));
        if (preflight.Value is null) return false;
        Summary = preflight.Value;
        var memberIds = Summary.Unreachable.Where(u => u.MemberId is not null).Select(u => u.MemberId!.Value).ToList();
        var phones = await db.Members.AsNoTracking().WithinScope(scope).Where(m => memberIds.Contains(m.Id))
            .Select(m => new { m.Id, m.Phone }).ToDictionaryAsync(m => m.Id, m => m.Phone, ct);
        UnreachableRows = Summary.Unreachable.Select(u => new Unreachable(u.Name,
            u.MemberId is { } mid ? scope.ShowPhone(phones.GetValueOrDefault(mid)) : "",
            u.MemberId is not null ? "党员" : "群聊", u.Reason)).ToList();
        return true;
    }
}
