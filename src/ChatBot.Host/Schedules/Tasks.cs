using System.Globalization;
using ChatBot.Core.Delivery;
using ChatBot.Core.Domain;
using ChatBot.Host.Data;
using ChatBot.Host.Delivery;
using ChatBot.Host.Features;
using ChatBot.Host.GroupChats;
using Microsoft.EntityFrameworkCore;

namespace ChatBot.Host.Schedules;

/// <summary>Template model helpers: local times for Liquid's <c>date</c> filter.</summary>
internal static class Local
{
    public static DateTime Of(DateTime utc, TimeZoneInfo zone) => TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), zone);

    public static DateTime DayStartUtc(ScheduleRunContext context) =>
        TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(context.SlotLocal.Date, DateTimeKind.Unspecified), context.TimeZone);

    /// <summary>Whether content of <paramref name="contentOrganisationId"/> (null = committee-wide) is visible to <paramref name="path"/>.</summary>
    public static bool Visible(int? contentOrganisationId, OrganisationPath path) =>
        contentOrganisationId is not { } id || path.AncestorIds.Contains(id);
}

/// <summary>
/// 每周政策速递: policies published since the previous digest slot (first run: the last 7 days) up to this slot. Each
/// branch group chat gets one merged markdown message of the policies visible to its branch; each member one short
/// line with the link (budgeted). Nothing new → nothing is written.
/// </summary>
public sealed class PolicyDigestTask(IChatBotDbContextFactory contexts, ScheduleOutbox outbox, NotificationTemplates templates, SignedMemberLinks links) : IScheduledTask
{
    public ScheduleKind Kind => ScheduleKind.PolicyDigest;

    public async Task<ScheduleRunReport> RunAsync(ScheduleRunContext context, CancellationToken ct)
    {
        var since = context.PreviousSlotUtc ?? context.SlotUtc.AddDays(-7);
        List<(int Id, string Title, string Summary, int? OrganisationId, DateTime PublishedAt)> policies;
        Dictionary<int, OrganisationPath> paths;
        await using (var db = contexts.CreateDbContext())
        {
            policies = (await db.ContentItems.AsNoTracking()
                    .Where(c => c.Kind == ContentKind.Policy && c.Status == ContentStatus.Published && c.PublishedAt > since && c.PublishedAt <= context.SlotUtc)
                    .OrderBy(c => c.PublishedAt).ThenBy(c => c.Id)
                    .Select(c => new { c.Id, c.Title, c.Summary, c.OrganisationId, PublishedAt = c.PublishedAt!.Value }).ToListAsync(ct))
                .Select(c => (c.Id, c.Title, c.Summary, c.OrganisationId, c.PublishedAt)).ToList();
            paths = (await db.Organisations.AsNoTracking().Select(o => new { o.Id, o.Path }).ToListAsync(ct))
                .ToDictionary(o => o.Id, o => OrganisationPath.Parse(o.Path));
        }
        if (policies.Count == 0) return ScheduleRunReport.Nothing("无新政策，未发送");

        var audience = await outbox.AudienceAsync(context, groupChats: true, ct);
        var memberOrganisation = await MemberOrganisationsAsync(audience.Members.Select(m => m.MemberId).ToList(), ct);
        var policy = outbox.Policy();
        var now = outbox.UtcNow;
        var rows = new List<OutboxItem>();
        int members = 0, chats = 0, skipped = 0;

        List<object> Items(OrganisationPath path) => policies.Where(p => Local.Visible(p.OrganisationId, path))
            .Select(p => (object)new { id = p.Id, title = p.Title, summary = p.Summary, url = links.Policy(p.Id), published_at = Local.Of(p.PublishedAt, context.TimeZone) })
            .ToList();

        foreach (var member in audience.Members)
        {
            if (!memberOrganisation.TryGetValue(member.MemberId, out var orgId) || !paths.TryGetValue(orgId, out var path)) continue;
            var items = Items(path);
            if (items.Count == 0) continue;
            var first = policies.First(p => Local.Visible(p.OrganisationId, path));
            var (title, text) = templates.Render(MessageKinds.PolicyDigest, NotificationTemplates.Member,
                new { count = items.Count, first_title = first.Title, items, name = member.Name });
            var row = ScheduleOutbox.MemberRow(context, member, new MemberMessage(MessageKinds.PolicyDigest, title, text, links.Policy(first.Id)),
                context.Key($"m:{member.MemberId}"), budgeted: true, policy, now);
            if (row.SkipReason is null) members++; else skipped++;
            rows.Add(row);
        }
        var chatOrganisations = await ChatOrganisationsAsync(audience.GroupChats.Select(c => c.GroupChatId).ToList(), ct);
        foreach (var chat in audience.GroupChats)
        {
            if (!chatOrganisations.TryGetValue(chat.GroupChatId, out var orgId) || !paths.TryGetValue(orgId, out var path)) continue;
            var items = Items(path);
            if (items.Count == 0) continue;
            var (title, text) = templates.Render(MessageKinds.PolicyDigest, NotificationTemplates.Group, new { count = items.Count, items });
            var row = ScheduleOutbox.GroupRow(context, chat, GroupPush.MarkdownText(title, text), context.Key($"g:{chat.GroupChatId}"));
            if (row.SkipReason is null) chats++; else skipped++;
            rows.Add(row);
        }
        var written = await outbox.WriteAsync(rows, ct);
        return new ScheduleRunReport
        {
            Considered = rows.Count, Enqueued = written, Skipped = skipped,
            Counts = new Dictionary<string, int> { ["policies"] = policies.Count, ["members"] = members, ["groupChats"] = chats },
        };
    }

    private async Task<Dictionary<int, int>> MemberOrganisationsAsync(List<int> ids, CancellationToken ct)
    {
        await using var db = contexts.CreateDbContext();
        return await db.Members.AsNoTracking().Where(m => ids.Contains(m.Id)).ToDictionaryAsync(m => m.Id, m => m.OrganisationId, ct);
    }

    private async Task<Dictionary<int, int>> ChatOrganisationsAsync(List<int> ids, CancellationToken ct)
    {
        await using var db = contexts.CreateDbContext();
        return await db.GroupChats.AsNoTracking().Where(g => ids.Contains(g.Id)).ToDictionaryAsync(g => g.Id, g => g.OrganisationId, ct);
    }
}

/// <summary>
/// 微党课连载: the series is the published lessons visible to the member's branch in publication order; each member
/// gets the one after the last they were sent (<see cref="LessonSeriesPosition"/>), and each branch group chat a card
/// of the lesson most of its members got. A rerun of the same slot re-sends nothing and does not advance anyone.
/// </summary>
public sealed class LessonSeriesTask(IChatBotDbContextFactory contexts, ScheduleOutbox outbox, NotificationTemplates templates, SignedMemberLinks links, TimeProvider time) : IScheduledTask
{
    public ScheduleKind Kind => ScheduleKind.LessonSeries;

    public async Task<ScheduleRunReport> RunAsync(ScheduleRunContext context, CancellationToken ct)
    {
        var series = context.String("series") ?? "default";
        var audience = await outbox.AudienceAsync(context, groupChats: true, ct);
        await using var db = contexts.CreateDbContext();
        var lessons = await db.ContentItems.AsNoTracking()
            .Where(c => c.Kind == ContentKind.Lesson && c.Status == ContentStatus.Published && c.PublishedAt != null && c.PublishedAt <= context.SlotUtc)
            .OrderBy(c => c.PublishedAt).ThenBy(c => c.Id)
            .Select(c => new { c.Id, c.Title, c.Summary, c.EstimatedMinutes, c.OrganisationId }).ToListAsync(ct);
        if (lessons.Count == 0) return ScheduleRunReport.Nothing("没有已发布的微党课");
        var paths = (await db.Organisations.AsNoTracking().Select(o => new { o.Id, o.Path }).ToListAsync(ct))
            .ToDictionary(o => o.Id, o => OrganisationPath.Parse(o.Path));
        var memberIds = audience.Members.Select(m => m.MemberId).ToList();
        var memberOrganisation = await db.Members.AsNoTracking().Where(m => memberIds.Contains(m.Id)).ToDictionaryAsync(m => m.Id, m => m.OrganisationId, ct);
        var positions = await db.LessonSeriesPositions.Where(p => p.Series == series && memberIds.Contains(p.MemberId)).ToDictionaryAsync(p => p.MemberId, ct);
        var order = lessons.Select((l, i) => (l.Id, i)).ToDictionary(x => x.Id, x => x.i);

        var policy = outbox.Policy();
        var now = outbox.UtcNow;
        var rows = new List<OutboxItem>();
        var chosenByOrganisation = new Dictionary<int, List<int>>();
        int sent = 0, skipped = 0, finished = 0;
        foreach (var member in audience.Members)
        {
            if (!memberOrganisation.TryGetValue(member.MemberId, out var orgId) || !paths.TryGetValue(orgId, out var path)) continue;
            positions.TryGetValue(member.MemberId, out var position);
            int? lessonId;
            if (position is not null && position.LastSlotAt == context.SlotUtc)
                lessonId = position.LastContentItemId; // a rerun of this slot: the same lesson, the same key
            else
            {
                var after = position is not null && order.TryGetValue(position.LastContentItemId, out var at) ? at : -1;
                lessonId = lessons.Skip(after + 1).Where(l => Local.Visible(l.OrganisationId, path)).Select(l => (int?)l.Id).FirstOrDefault();
            }
            if (lessonId is not { } id) { finished++; continue; }
            var lesson = lessons.First(l => l.Id == id);
            var (title, text) = templates.Render(MessageKinds.Lesson, NotificationTemplates.Member, new
            {
                title = lesson.Title, summary = lesson.Summary, minutes = lesson.EstimatedMinutes, number = order[id] + 1, name = member.Name,
            });
            var row = ScheduleOutbox.MemberRow(context, member, new MemberMessage(MessageKinds.Lesson, title, text, links.Lesson(member.MemberId, id)),
                context.Key($"m:{member.MemberId}"), budgeted: true, policy, now);
            rows.Add(row);
            if (row.SkipReason is not null) { skipped++; continue; }
            sent++;
            (chosenByOrganisation.TryGetValue(orgId, out var list) ? list : chosenByOrganisation[orgId] = []).Add(id);
            if (position is null)
                db.LessonSeriesPositions.Add(new LessonSeriesPosition { MemberId = member.MemberId, Series = series, LastContentItemId = id, LastSlotAt = context.SlotUtc, UpdatedAt = time.GetUtcNow().UtcDateTime });
            else if (position.LastSlotAt != context.SlotUtc)
            {
                position.LastContentItemId = id;
                position.LastSlotAt = context.SlotUtc;
                position.UpdatedAt = time.GetUtcNow().UtcDateTime;
            }
        }
        var chatOrganisation = await db.GroupChats.AsNoTracking().Where(g => audience.GroupChats.Select(c => c.GroupChatId).Contains(g.Id))
            .ToDictionaryAsync(g => g.Id, g => g.OrganisationId, ct);
        var cards = 0;
        foreach (var chat in audience.GroupChats)
        {
            if (!chatOrganisation.TryGetValue(chat.GroupChatId, out var orgId) || !chosenByOrganisation.TryGetValue(orgId, out var chosen)) continue;
            var id = chosen.GroupBy(x => x).OrderByDescending(g => g.Count()).ThenBy(g => order[g.Key]).First().Key;
            var lesson = lessons.First(l => l.Id == id);
            var (title, text) = templates.Render(MessageKinds.Lesson, NotificationTemplates.Group, new
            {
                title = lesson.Title, summary = lesson.Summary, minutes = lesson.EstimatedMinutes, number = order[id] + 1,
            });
            var row = ScheduleOutbox.GroupRow(context, chat, GroupPush.MarkdownText(title, text), context.Key($"g:{chat.GroupChatId}"));
            rows.Add(row);
            if (row.SkipReason is null) cards++; else skipped++;
        }
        // Rows first, then positions: a crash in between re-sends nothing (same keys) and the rerun records the positions.
        var written = await outbox.WriteAsync(rows, ct);
        await db.SaveChangesAsync(ct);
        return new ScheduleRunReport
        {
            Considered = rows.Count, Enqueued = written, Skipped = skipped,
            Counts = new Dictionary<string, int> { ["lessons"] = sent, ["groupCards"] = cards, ["seriesFinished"] = finished },
        };
    }
}

/// <summary>
/// 学习任务提醒: members with pending assignments due within <c>dueWithinDays</c> (3) or overdue (at most
/// <c>overdueDays</c>, 30, ago) get one message listing all of them — at most one per member per local day, whatever
/// schedule or run-now writes it (key <c>study:{member}:{yyyyMMdd}</c>) — counted in the weekly budget.
/// </summary>
public sealed class StudyRemindersTask(IChatBotDbContextFactory contexts, ScheduleOutbox outbox, NotificationTemplates templates, SignedMemberLinks links) : IScheduledTask
{
    public ScheduleKind Kind => ScheduleKind.StudyReminders;

    public static string KeyFor(int memberId, DateOnly localDay) => string.Create(CultureInfo.InvariantCulture, $"study:{memberId}:{localDay:yyyyMMdd}");

    public async Task<ScheduleRunReport> RunAsync(ScheduleRunContext context, CancellationToken ct)
    {
        var dueBy = context.SlotUtc.AddDays(context.Int("dueWithinDays", 3));
        var overdueFrom = context.SlotUtc.AddDays(-context.Int("overdueDays", 30));
        var organisations = context.OrganisationIds.ToList();
        await using var db = contexts.CreateDbContext();
        var pending = await db.StudyAssignments.AsNoTracking()
            .Where(a => a.Status == AssignmentStatus.Pending && a.StudyTask!.DueAt <= dueBy && a.StudyTask.DueAt >= overdueFrom
                && !a.Member!.Archived && organisations.Contains(a.Member.OrganisationId))
            .Select(a => new { a.Id, a.MemberId, a.StudyTask!.Title, a.StudyTask.DueAt, LessonId = a.StudyTask.ContentItemId })
            .ToListAsync(ct);
        if (pending.Count == 0) return ScheduleRunReport.Nothing("没有待提醒的学习任务");

        var byMember = pending.GroupBy(p => p.MemberId).ToDictionary(g => g.Key, g => g.OrderBy(p => p.DueAt).ToList());
        var facts = await outbox.MembersAsync(context, byMember.Keys.ToList(), ct);
        var policy = outbox.Policy();
        var now = outbox.UtcNow;
        var rows = new List<OutboxItem>();
        var reminded = new List<int>();
        var skipped = 0;
        foreach (var (memberId, items) in byMember)
        {
            if (!facts.TryGetValue(memberId, out var member)) continue;
            var model = items.Select(i => new
            {
                title = i.Title, due_at = Local.Of(i.DueAt, context.TimeZone), overdue = i.DueAt < context.SlotUtc, url = links.Lesson(memberId, i.LessonId),
            }).ToList();
            var (title, text) = templates.Render(MessageKinds.StudyReminder, NotificationTemplates.Member,
                new { name = member.Name, count = items.Count, overdue_count = model.Count(m => m.overdue), items = model });
            var row = ScheduleOutbox.MemberRow(context, member,
                new MemberMessage(MessageKinds.StudyReminder, title, text, links.Lesson(memberId, items[0].LessonId)),
                KeyFor(memberId, context.LocalDate), budgeted: true, policy, now);
            rows.Add(row);
            if (row.SkipReason is null) reminded.AddRange(items.Select(i => i.Id)); else skipped++;
        }
        var written = await outbox.WriteAsync(rows, ct);
        // Counted once per day: an assignment already reminded today (a rerun) is not counted again.
        var dayStart = Local.DayStartUtc(context);
        if (reminded.Count > 0)
            await db.StudyAssignments.Where(a => reminded.Contains(a.Id) && (a.LastRemindedAt == null || a.LastRemindedAt < dayStart))
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.RemindersSent, a => a.RemindersSent + 1).SetProperty(a => a.LastRemindedAt, now), ct);
        return new ScheduleRunReport
        {
            Considered = byMember.Count, Enqueued = written, Skipped = skipped,
            Counts = new Dictionary<string, int> { ["assignments"] = pending.Count, ["members"] = rows.Count - skipped },
        };
    }
}

/// <summary>
/// 活动提醒 (scan every 15 minutes): members registered for an activity starting within 24 h get the day-before
/// reminder (not when it starts within the hour: then only the 1-hour one), within 1 h the 1-hour reminder; the branch
/// secretary gets the sign-up list when it starts within 24 h. Keys per activity, member and mark, so every scan after
/// the mark adds nothing. Not budgeted (the member signed up for it); a reminder quiet hours would delay past the
/// start is skipped ("quietHours").
/// </summary>
public sealed class ActivityRemindersTask(IChatBotDbContextFactory contexts, ScheduleOutbox outbox, NotificationTemplates templates) : IScheduledTask
{
    public ScheduleKind Kind => ScheduleKind.ActivityReminders;

    public async Task<ScheduleRunReport> RunAsync(ScheduleRunContext context, CancellationToken ct)
    {
        var now = outbox.UtcNow;
        var reference = context.SlotUtc > now ? context.SlotUtc : now;
        var horizon = reference.AddHours(24);
        var organisations = context.OrganisationIds.ToList();
        await using var db = contexts.CreateDbContext();
        var activities = await db.Activities.AsNoTracking()
            .Where(a => !a.Cancelled && a.StartsAt > reference && a.StartsAt <= horizon && organisations.Contains(a.OrganisationId))
            .Select(a => new { a.Id, a.Title, a.Location, a.StartsAt, a.OrganisationId, a.Capacity }).ToListAsync(ct);
        if (activities.Count == 0) return ScheduleRunReport.Nothing("24 小时内没有活动");
        var ids = activities.Select(a => a.Id).ToList();
        var signUps = await db.SignUps.AsNoTracking()
            .Where(s => ids.Contains(s.ActivityId) && (s.Status == SignUpStatus.Registered || s.Status == SignUpStatus.Waitlisted))
            .Select(s => new { s.ActivityId, s.MemberId, s.Status, s.Member!.Name, s.CreatedAt }).ToListAsync(ct);
        var secretaries = await outbox.SecretariesAsync(activities.Select(a => a.OrganisationId).Distinct().ToList(), ct);
        var everyone = signUps.Where(s => s.Status == SignUpStatus.Registered).Select(s => s.MemberId)
            .Concat(activities.SelectMany(a => secretaries[a.OrganisationId])).Distinct().ToList();
        var facts = await outbox.MembersAsync(context, everyone, ct);
        var policy = outbox.Policy();
        var rows = new List<OutboxItem>();
        int dayBefore = 0, hourBefore = 0, lists = 0, skipped = 0;

        foreach (var activity in activities)
        {
            var withinHour = activity.StartsAt <= reference.AddHours(1);
            var mark = withinHour ? "1h" : "24h";
            var model = new
            {
                title = activity.Title, location = activity.Location, starts_at = Local.Of(activity.StartsAt, context.TimeZone),
                hours_left = (int)Math.Ceiling((activity.StartsAt - reference).TotalHours), within_hour = withinHour,
            };
            foreach (var signUp in signUps.Where(s => s.ActivityId == activity.Id && s.Status == SignUpStatus.Registered))
            {
                if (!facts.TryGetValue(signUp.MemberId, out var member)) continue;
                var (title, text) = templates.Render(MessageKinds.ActivityReminder, NotificationTemplates.Member, new
                {
                    model.title, model.location, model.starts_at, model.hours_left, model.within_hour, name = member.Name,
                });
                var row = ScheduleOutbox.MemberRow(context, member, new MemberMessage(MessageKinds.ActivityReminder, title, text),
                    $"act:{activity.Id}:{signUp.MemberId}:{mark}", budgeted: false, policy, now);
                if (row.SkipReason is null && row.NotBefore is { } notBefore && notBefore >= activity.StartsAt)
                    row = row with { SkipReason = "quietHours" };
                rows.Add(row);
                if (row.SkipReason is not null) skipped++;
                else if (withinHour) hourBefore++;
                else dayBefore++;
            }
            var registered = signUps.Where(s => s.ActivityId == activity.Id && s.Status == SignUpStatus.Registered).OrderBy(s => s.CreatedAt).ToList();
            var waitlisted = signUps.Count(s => s.ActivityId == activity.Id && s.Status == SignUpStatus.Waitlisted);
            foreach (var secretaryId in secretaries[activity.OrganisationId].Distinct())
            {
                if (!facts.TryGetValue(secretaryId, out var secretary)) continue;
                var (title, text) = templates.Render("activity_signups", NotificationTemplates.Member, new
                {
                    model.title, model.location, model.starts_at, capacity = activity.Capacity, registered_count = registered.Count,
                    waitlisted_count = waitlisted, names = registered.Select(r => r.Name).ToList(),
                });
                var row = ScheduleOutbox.MemberRow(context, secretary, new MemberMessage(MessageKinds.ActivityReminder, title, text),
                    $"act:{activity.Id}:sec:{secretaryId}", budgeted: false, policy, now);
                rows.Add(row);
                if (row.SkipReason is null) lists++; else skipped++;
            }
        }
        var written = await outbox.WriteAsync(rows, ct);
        return new ScheduleRunReport
        {
            Considered = rows.Count, Enqueued = written, Skipped = skipped,
            Counts = new Dictionary<string, int> { ["activities"] = activities.Count, ["dayBefore"] = dayBefore, ["hourBefore"] = hourBefore, ["signUpLists"] = lists },
        };
    }
}
