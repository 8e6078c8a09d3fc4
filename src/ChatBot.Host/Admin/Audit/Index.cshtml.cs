using ChatBot.Core.Domain;
using ChatBot.Host.Configuration;
using ChatBot.Host.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ChatBot.Host.Admin.Audit;

/// <summary>审计日志: filter by actor, action, entity and local date range, 50 per page, within the reader's scope.</summary>
public sealed class IndexModel(ChatBotDbContext db, OrganisationScope scope, IOptions<SchedulingOptions> scheduling) : PageModel
{
    public const int PageSize = 50;

    [BindProperty(SupportsGet = true)] public string? Actor { get; set; }
    [BindProperty(SupportsGet = true)] public string? Action { get; set; }
    [BindProperty(SupportsGet = true)] public string? EntityType { get; set; }
    [BindProperty(SupportsGet = true)] public string? EntityId { get; set; }
    [BindProperty(SupportsGet = true)] public DateOnly? From { get; set; }
    [BindProperty(SupportsGet = true)] public DateOnly? To { get; set; }
    [BindProperty(SupportsGet = true, Name = "p")] public int PageNumber { get; set; } = 1;

    public IReadOnlyList<AuditEntry> Entries { get; private set; } = [];
    public int Total { get; private set; }
    public int PageCount => Math.Max(1, (Total + PageSize - 1) / PageSize);
    public TimeZoneInfo Zone { get; private set; } = TimeZoneInfo.Utc;

    public async Task OnGetAsync(CancellationToken ct)
    {
        Zone = scheduling.Value.ResolveTimeZone();
        var query = db.AuditEntries.AsNoTracking().WithinScope(scope);
        if (!string.IsNullOrWhiteSpace(Actor)) query = query.Where(a => a.Actor.Contains(Actor.Trim()));
        if (!string.IsNullOrWhiteSpace(Action)) query = query.Where(a => a.Action.StartsWith(Action.Trim()));
        if (!string.IsNullOrWhiteSpace(EntityType)) query = query.Where(a => a.EntityType == EntityType.Trim());
        if (!string.IsNullOrWhiteSpace(EntityId)) query = query.Where(a => a.EntityId == EntityId.Trim());
        // Dates are the committee's local days (Scheduling:TimeZone), stored times are UTC.
        if (From is { } from) { var start = ToUtc(from); query = query.Where(a => a.At >= start); }
        if (To is { } to) { var end = ToUtc(to.AddDays(1)); query = query.Where(a => a.At < end); }

        Total = await query.CountAsync(ct);
        PageNumber = Math.Clamp(PageNumber, 1, PageCount);
        Entries = await query.OrderByDescending(a => a.At).ThenByDescending(a => a.Id)
            .Skip((PageNumber - 1) * PageSize).Take(PageSize).ToListAsync(ct);
    }

    public string Local(DateTime utc) =>
        TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), Zone).ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);

    public Dictionary<string, string?> RouteFor(int page) => new()
    {
        ["Actor"] = Actor, ["Action"] = Action, ["EntityType"] = EntityType, ["EntityId"] = EntityId,
        ["From"] = From?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        ["To"] = To?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        ["p"] = page.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private DateTime ToUtc(DateOnly localDate) =>
        TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(localDate.ToDateTime(TimeOnly.MinValue), DateTimeKind.Unspecified), Zone);
}
