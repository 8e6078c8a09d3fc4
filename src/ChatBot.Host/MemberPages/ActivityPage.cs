using System.Globalization;
using ChatBot.Core.Conversation;
using ChatBot.Core.Domain;
using ChatBot.Core.Features;
using ChatBot.Host.Data;
using ChatBot.Host.Features;
using Microsoft.EntityFrameworkCore;

namespace ChatBot.Host.MemberPages;

/// <summary>
/// Activity detail with 报名 / 取消报名 / 签到 through <see cref="IActivityService"/> (the same rules, race handling,
/// waitlist promotion and points as in chat). Only activities of the member's branch and the organisations above it.
/// </summary>
public sealed class ActivityPage(
    ChatBotDbContext db, IActivityService activities, IMemberNotifier notifier, IReplyTemplates templates, GuessLimiter guesses,
    SignedMemberLinks links, DisplayTime display, TimeProvider time, MemberPageRenderer pages)
{
    public MemberPageRenderer Pages => pages;

    public async Task<IResult> SignUpAsync(int memberId, int activityId, CancellationToken ct)
    {
        if (!await VisibleAsync(memberId, activityId, ct)) return pages.Error(StatusCodes.Status404NotFound, "not_found");
        var result = await activities.RegisterAsync(activityId, memberId, time.GetUtcNow().UtcDateTime, ct);
        return await RenderAsync(memberId, activityId, new
        {
            kind = "register",
            outcome = result.Outcome switch
            {
                RegisterOutcome.Registered => "registered",
                RegisterOutcome.Waitlisted => "waitlisted",
                RegisterOutcome.AlreadyRegistered => "already_registered",
                RegisterOutcome.AlreadyWaitlisted => "already_waitlisted",
                RegisterOutcome.DeadlinePassed => "deadline_passed",
                RegisterOutcome.ActivityCancelled => "activity_cancelled",
                RegisterOutcome.AlreadyCheckedIn => "already_checked_in",
                _ => "not_found",
            },
            position = result.WaitlistPosition,
        }, ct);
    }

    public async Task<IResult> CancelAsync(int memberId, int activityId, CancellationToken ct)
    {
        if (!await VisibleAsync(memberId, activityId, ct)) return pages.Error(StatusCodes.Status404NotFound, "not_found");
        var result = await activities.CancelAsync(activityId, memberId, time.GetUtcNow().UtcDateTime, ct);
        if (result is { Outcome: CancelOutcome.Cancelled, PromotedMemberId: { } promoted, Activity: { } view })
        {
            // Same notice, same idempotency key as a cancellation in chat (ActivityHandler).
            var text = templates.Render("promoted", new
            {
                activity = new { title = view.Title, starts_at = display.ToLocal(view.StartsAt), location = view.Location },
            });
            await notifier.NotifyAsync(promoted, $"promoted:{activityId}:{promoted}", text, ct);
        }
        return await RenderAsync(memberId, activityId, new
        {
            kind = "cancel",
            outcome = result.Outcome switch
            {
                CancelOutcome.Cancelled => "cancelled",
                CancelOutcome.NotRegistered => "not_registered",
                CancelOutcome.TooLate => "too_late",
                _ => "not_found",
            },
        }, ct);
    }

    public async Task<IResult> CheckInAsync(int memberId, int activityId, string code, CancellationToken ct)
    {
        if (!await VisibleAsync(memberId, activityId, ct)) return pages.Error(StatusCodes.Status404NotFound, "not_found");
        code = code.Replace(" ", "", StringComparison.Ordinal).Trim();
        if (code.Length == 0 || code.Length > 32)
            return await RenderAsync(memberId, activityId, new { kind = "checkin", outcome = "usage" }, ct);
        // The same limiter and key as 签到 in chat: the page is no side door for trying codes.
        var permit = await guesses.TryAttemptAsync("checkin:member:" + MemberPageEndpoints.Inv(memberId), null, ct);
        if (!permit.Allowed)
            return await RenderAsync(memberId, activityId, new { kind = "checkin", outcome = "cooldown", minutes = GuessLimiter.WindowMinutes }, ct);
        var result = await activities.CheckInAsync(memberId, code, time.GetUtcNow().UtcDateTime, ct);
        return await RenderAsync(memberId, activityId, new
        {
            kind = "checkin",
            outcome = result.Outcome switch
            {
                CheckInOutcome.CheckedIn => "checked_in",
                CheckInOutcome.AlreadyCheckedIn => "already",
                CheckInOutcome.NotOpenYet => "not_open",
                CheckInOutcome.Closed => "closed",
                CheckInOutcome.NotRegistered => "not_registered",
                _ => "code_not_found",
            },
            points = result.PointsCredited,
            remaining = permit.Remaining,
            other = result.Activity is { } a && a.Id != activityId ? a.Title : null,
        }, ct);
    }

    public async Task<IResult> RenderAsync(int memberId, int activityId, object? flash, CancellationToken ct)
    {
        if (!await VisibleAsync(memberId, activityId, ct)) return pages.Error(StatusCodes.Status404NotFound, "not_found");
        var now = time.GetUtcNow().UtcDateTime;
        var a = await db.Activities.AsNoTracking().Include(x => x.Organisation).SingleAsync(x => x.Id == activityId, ct);
        var rows = await db.SignUps.AsNoTracking().Where(s => s.ActivityId == activityId)
            .Select(s => new { s.Id, s.MemberId, s.Status, s.WaitlistedAt })
            .ToListAsync(ct);
        var mine = rows.FirstOrDefault(r => r.MemberId == memberId);
        var registered = rows.Count(r => r.Status is SignUpStatus.Registered or SignUpStatus.CheckedIn);
        // Position on the waitlist: the order EfActivityService promotes in (waitlisted time, then id).
        int? position = mine?.Status == SignUpStatus.Waitlisted
            ? 1 + rows.Count(r => r.Status == SignUpStatus.Waitlisted
                && (r.WaitlistedAt < mine.WaitlistedAt || (r.WaitlistedAt == mine.WaitlistedAt && r.Id < mine.Id)))
            : null;
        var opensAt = a.StartsAt.AddMinutes(-a.CheckInOpensMinutesBefore);
        var checkInOpen = !a.Cancelled && a.CheckInCode is not null && a.IsCheckInOpen(now);
        var status = mine?.Status;
        var active = status is SignUpStatus.Registered or SignUpStatus.Waitlisted;

        return pages.Page("activity", a.Title, new
        {
            id = a.Id,
            token = links.Token(memberId, SignedMemberLinks.ActivityScope(a.Id)),
            title = a.Title,
            kind = KindName(a.Kind),
            description = a.Description,
            organisation = a.Organisation?.Name,
            location = a.Location,
            starts_at = display.ToLocal(a.StartsAt),
            ends_at = display.ToLocal(a.EndsAt),
            deadline = display.ToLocal(a.SignUpDeadline),
            capacity = a.Capacity,
            registered,
            waitlisted = rows.Count(r => r.Status == SignUpStatus.Waitlisted),
            places_left = a.Capacity is { } cap ? Math.Max(0, cap - registered) : (int?)null,
            cancelled = a.Cancelled,
            ended = now >= a.EndsAt,
            my_status = status?.ToString(),
            position,
            can_sign_up = !a.Cancelled && !active && status != SignUpStatus.CheckedIn && now <= a.SignUpDeadline,
            can_cancel = active && now < a.StartsAt,
            deadline_passed = now > a.SignUpDeadline,
            check_in_open = checkInOpen && status != SignUpStatus.CheckedIn
                && (status == SignUpStatus.Registered || a.Capacity is null),
            check_in_opens_at = display.ToLocal(opensAt),
            flash,
        }, memberId);
    }

    private async Task<bool> VisibleAsync(int memberId, int activityId, CancellationToken ct)
    {
        var path = await db.Members.Where(m => m.Id == memberId).Select(m => m.Organisation!.Path).SingleOrDefaultAsync(ct);
        if (path is null) return false;
        var visible = OrganisationPath.Parse(path).AncestorIds;
        return await db.Activities.AnyAsync(a => a.Id == activityId && visible.Contains(a.OrganisationId), ct);
    }

    public static string KindName(ActivityKind kind) => kind switch
    {
        ActivityKind.BranchAssembly => "支部党员大会",
        ActivityKind.BranchCommittee => "支委会",
        ActivityKind.GroupMeeting => "党小组会",
        ActivityKind.PartyLecture => "党课",
        ActivityKind.ThemeDay => "主题党日",
        ActivityKind.Volunteer => "志愿服务",
        ActivityKind.Contest => "知识竞赛",
        _ => "活动",
    };
}
