using System.Globalization;
using ChatBot.Core.Cadence;
using ChatBot.Core.Delivery;
using ChatBot.Core.Domain;
using ChatBot.Host.Data;
using ChatBot.Host.Schedules;
using Microsoft.EntityFrameworkCore;

namespace ChatBot.Host.Cadence;

/// <summary>
/// Daily (<see cref="ScheduleKind.CadenceAlerts"/>): for every branch the run covers, the meeting kinds due within
/// <see cref="CadenceRules.ReminderLeadDays"/> days with nothing held or planned, in one message to the branch's
/// secretaries (see <see cref="CadenceNotifier"/> for how they are reached). Evaluated at the slot time; one message per
/// branch, due date and recipient (key <c>cadence:alert:{branch}:{dueDate}</c>), so the next days' runs add nothing.
/// </summary>
public sealed class CadenceAlertsTask(CadenceService cadence, CadenceNotifier notifier, IChatBotDbContextFactory dbs) : IScheduledTask
{
    public ScheduleKind Kind => ScheduleKind.CadenceAlerts;

    public async Task<ScheduleRunReport> RunAsync(ScheduleRunContext context, CancellationToken ct)
    {
        var branches = await cadence.ForOrganisationsAsync(context.OrganisationIds, context.SlotUtc, ct);
        var due = branches.Where(b => b.DueSoon.Count > 0).ToList();
        if (due.Count == 0)
            return new ScheduleRunReport { Considered = branches.Count, Note = "没有即将到期且未安排的组织生活" };

        var ids = due.Select(b => b.OrganisationId).ToList();
        List<AdminUser> secretaries;
        await using (var db = dbs.CreateDbContext())
            secretaries = await db.AdminUsers.AsNoTracking()
                .Where(u => !u.Disabled && u.Role == AdminRole.Secretary && ids.Contains(u.OrganisationId)).OrderBy(u => u.Id).ToListAsync(ct);

        int enqueued = 0, members = 0, chats = 0, consoleOnly = 0;
        foreach (var branch in due)
        {
            var dueDate = branch.DueSoon.Min(m => m.DueDate);
            var model = new
            {
                branch = branch.Name,
                due_date = CadenceNotifier.ChineseDate(dueDate),
                meetings = branch.DueSoon.Select(m => new
                {
                    name = CadenceRules.DisplayName(m.Kind),
                    frequency = CadenceRules.DisplayName(m.Frequency),
                    period = CadenceNotifier.PeriodName(m.Frequency, m.Period),
                }).ToList(),
                console_url = notifier.ConsoleUrl,
            };
            var recipients = secretaries.Where(s => s.OrganisationId == branch.OrganisationId)
                .Select(s => new CadenceRecipient(s.Id, s.UserName, s.MemberId)).ToList();
            var result = await notifier.SendAsync(CadenceMessageKinds.Alert,
                string.Create(CultureInfo.InvariantCulture, $"cadence:alert:{branch.OrganisationId}:{dueDate:yyyyMMdd}"),
                model, recipients, [branch.OrganisationId], ct);
            enqueued += result.Enqueued;
            members += result.ToMembers;
            chats += result.ToGroupChats;
            if (result.ConsoleOnly) consoleOnly++;
        }
        return new ScheduleRunReport
        {
            Considered = branches.Count,
            Enqueued = enqueued,
            Skipped = consoleOnly,
            Counts = new Dictionary<string, int>
            {
                ["branchesDueSoon"] = due.Count, ["toSecretaries"] = members, ["toGroupChats"] = chats, ["consoleOnly"] = consoleOnly,
            },
            Note = enqueued == 0 ? "已提醒过（本期不重复发送）或无法送达，见 /admin/cadence" : null,
        };
    }
}

/// <summary>
/// Weekly (<see cref="ScheduleKind.CadenceWeeklyNote"/>): the branches of the run with an overdue meeting kind, listed in
/// one note to the committee admins (超级管理员 accounts; their member route, else the committee's group chats).
/// Nothing overdue → nothing sent. Key <c>cadence:weekly:{committee}:{week start}</c> per recipient.
/// </summary>
public sealed class CadenceWeeklyNoteTask(CadenceService cadence, CadenceNotifier notifier, IChatBotDbContextFactory dbs) : IScheduledTask
{
    public ScheduleKind Kind => ScheduleKind.CadenceWeeklyNote;

    public async Task<ScheduleRunReport> RunAsync(ScheduleRunContext context, CancellationToken ct)
    {
        var branches = await cadence.ForOrganisationsAsync(context.OrganisationIds, context.SlotUtc, ct);
        var overdue = branches.Where(b => b.Overdue).ToList();
        if (overdue.Count == 0)
            return new ScheduleRunReport { Considered = branches.Count, Note = "没有逾期的支部，未发送" };

        List<AdminUser> admins;
        List<int> committees;
        await using (var db = dbs.CreateDbContext())
        {
            admins = await db.AdminUsers.AsNoTracking().Where(u => !u.Disabled && u.Role == AdminRole.Admin).OrderBy(u => u.Id).ToListAsync(ct);
            var ids = context.OrganisationIds.ToList();
            committees = await db.Organisations.AsNoTracking()
                .Where(o => o.Kind == OrganisationKind.Committee && ids.Contains(o.Id)).Select(o => o.Id).ToListAsync(ct);
        }
        var weekStart = CadenceRules.LocalDate(DeliveryRouter.WeekStartUtc(context.SlotUtc, cadence.TimeZone), cadence.TimeZone);
        var model = new
        {
            week = string.Create(CultureInfo.InvariantCulture, $"{CadenceNotifier.ChineseDate(weekStart)}这一周"),
            branches = overdue.Select(b => new
            {
                name = b.Name,
                meetings = b.Meetings.Where(m => m.Overdue).Select(m => new
                {
                    name = CadenceRules.DisplayName(m.Kind),
                    period = CadenceNotifier.PeriodName(m.Frequency, m.PreviousPeriod),
                }).ToList(),
            }).ToList(),
            console_url = notifier.ConsoleUrl,
        };
        var scopeKey = string.Join('-', committees.DefaultIfEmpty(0));
        var result = await notifier.SendAsync(CadenceMessageKinds.WeeklyNote,
            string.Create(CultureInfo.InvariantCulture, $"cadence:weekly:{scopeKey}:{weekStart:yyyyMMdd}"),
            model, admins.Select(a => new CadenceRecipient(a.Id, a.UserName, a.MemberId)).ToList(), committees, ct);
        return new ScheduleRunReport
        {
            Considered = branches.Count,
            Enqueued = result.Enqueued,
            Skipped = result.ConsoleOnly ? 1 : 0,
            Counts = new Dictionary<string, int>
            {
                ["overdueBranches"] = overdue.Count, ["toAdmins"] = result.ToMembers, ["toGroupChats"] = result.ToGroupChats,
            },
            Note = result.ConsoleOnly ? "管理员未关联可送达的党员账号，且党委无群聊：仅在 /admin/cadence 显示" : null,
        };
    }
}
