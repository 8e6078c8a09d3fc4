using System.Globalization;
using ChatBot.Core.Features;
using ChatBot.Core.Messaging;

namespace ChatBot.Core.Conversation.Handlers;

/// <summary>
/// 活动, 报名 N, 取消报名 N, 我的报名 and 签到. N is the number shown in the sender's last 活动 list (kept in the
/// session store), so a list that changes between reading and replying cannot register the wrong activity.
/// </summary>
public sealed class ActivityHandler(
    IActivityService activities, IMemberNotifier notifier, IReplyTemplates templates, SessionState session, DisplayTime display,
    GuessLimiter guesses, IMemberLinks links)
{
    public async Task<OutboundReply> ListAsync(ConversationContext context, CancellationToken ct)
    {
        var list = await UpcomingAsync(context, ct);
        await session.SetChoiceAsync(context.SessionKey, new ChoiceState(ChoiceState.Activities, list.Select(a => a.Id).ToArray()), ct);
        return Text("activities", new { items = list.Select((a, i) => Model(a, i + 1)).ToList(), group = context.IsGroup }, context.IsGroup);
    }

    public async Task<OutboundReply> DetailAsync(ConversationContext context, int number, CancellationToken ct)
    {
        var (activity, _) = await ResolveAsync(context, number.ToString(CultureInfo.InvariantCulture), ct);
        return activity is null
            ? Text("register", new { outcome = "bad_number", number })
            : Text("activity_detail", Model(activity, number, context.IsGroup ? null : context.Member?.Id));
    }

    public async Task<OutboundReply> RegisterAsync(ConversationContext context, MemberRef member, string argument, CancellationToken ct)
    {
        var (target, number) = await ResolveAsync(context, argument, ct);
        if (target is null) return Text("register", new { outcome = number is null ? "usage" : "bad_number", number }, context.IsGroup);

        var result = await activities.RegisterAsync(target.Id, member.Id, context.NowUtc, ct);
        var activity = result.Activity ?? target;
        return Text("register", new
        {
            outcome = result.Outcome switch
            {
                RegisterOutcome.Registered => "registered",
                RegisterOutcome.Waitlisted => "waitlisted",
                RegisterOutcome.AlreadyRegistered => "already_registered",
                RegisterOutcome.AlreadyWaitlisted => "already_waitlisted",
                RegisterOutcome.DeadlinePassed => "deadline_passed",
                RegisterOutcome.ActivityCancelled => "activity_cancelled",
                RegisterOutcome.AlreadyCheckedIn => "already_checked_in",
                _ => "bad_number",
            },
            position = result.WaitlistPosition,
            name = member.Name,
            number,
            activity = Model(activity, number ?? 0, context.IsGroup ? null : member.Id),
        }, context.IsGroup);
    }

    public async Task<OutboundReply> CancelAsync(ConversationContext context, MemberRef member, string argument, CancellationToken ct)
    {
        var (target, number) = await ResolveAsync(context, argument, ct);
        if (target is null) return Text("cancel", new { outcome = number is null ? "usage" : "bad_number", number });

        var result = await activities.CancelAsync(target.Id, member.Id, context.NowUtc, ct);
        if (result is { Outcome: CancelOutcome.Cancelled, PromotedMemberId: { } promoted })
        {
            var text = templates.Render("promoted", new { activity = Model(result.Activity ?? target, 0) });
            await notifier.NotifyAsync(promoted, $"promoted:{target.Id}:{promoted}", text, ct);
        }
        return Text("cancel", new
        {
            outcome = result.Outcome switch
            {
                CancelOutcome.Cancelled => "cancelled",
                CancelOutcome.NotRegistered => "not_registered",
                CancelOutcome.TooLate => "too_late",
                _ => "bad_number",
            },
            number,
            activity = Model(result.Activity ?? target, number ?? 0),
        });
    }

    public async Task<OutboundReply> MineAsync(ConversationContext context, MemberRef member, CancellationToken ct)
    {
        var list = await activities.UpcomingForMemberAsync(member.Id, context.NowUtc, ct);
        await session.SetChoiceAsync(context.SessionKey, new ChoiceState(ChoiceState.Activities, list.Select(a => a.Id).ToArray()), ct);
        var mine = list.Select((a, i) => (a, n: i + 1)).Where(x => x.a.MyStatus is Domain.SignUpStatus.Registered
            or Domain.SignUpStatus.Waitlisted or Domain.SignUpStatus.CheckedIn);
        return Text("my_registrations", new { items = mine.Select(x => Model(x.a, x.n)).ToList() });
    }

    public async Task<OutboundReply> CheckInAsync(ConversationContext context, MemberRef member, string argument, CancellationToken ct)
    {
        var code = argument.Replace(" ", "", StringComparison.Ordinal);
        if (code.Length == 0) return Text("checkin", new { outcome = "usage" });
        // Check-in codes are short (6 digits): the binding limiter keeps them from being tried through.
        var permit = await guesses.TryAttemptAsync("checkin:member:" + member.Id.ToString(CultureInfo.InvariantCulture), null, ct);
        if (!permit.Allowed)
            return Text("checkin", new { outcome = "cooldown", minutes = GuessLimiter.WindowMinutes });
        var result = await activities.CheckInAsync(member.Id, code, context.NowUtc, ct);
        return Text("checkin", new
        {
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
            opens_at = result.OpensAt is { } o ? display.ToLocal(o) : (DateTime?)null,
            activity = result.Activity is null ? null : Model(result.Activity, 0),
        });
    }

    private Task<IReadOnlyList<ActivityView>> UpcomingAsync(ConversationContext context, CancellationToken ct) =>
        context.Member is { } m && !context.IsGroup
            ? activities.UpcomingForMemberAsync(m.Id, context.NowUtc, ct)
            : context.Group is { } g
                ? activities.UpcomingForOrganisationAsync(g.OrganisationId, context.NowUtc, ct)
                : context.Member is { } member
                    ? activities.UpcomingForMemberAsync(member.Id, context.NowUtc, ct)
                    : Task.FromResult<IReadOnlyList<ActivityView>>([]);

    /// <summary>Maps "N" to an activity: the sender's last list when there is one, otherwise the current list.</summary>
    private async Task<(ActivityView? Activity, int? Number)> ResolveAsync(ConversationContext context, string argument, CancellationToken ct)
    {
        if (!int.TryParse(argument.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number <= 0)
            return (null, null);
        var list = await UpcomingAsync(context, ct);
        var choice = context.IsGroup ? null : await session.GetChoiceAsync(context.SessionKey, ct);
        if (choice is { Kind: ChoiceState.Activities } && number <= choice.Ids.Length)
        {
            var id = choice.Ids[number - 1];
            return (list.FirstOrDefault(a => a.Id == id), number);
        }
        return (number <= list.Count ? list[number - 1] : null, number);
    }

    /// <param name="memberId">Set in a private chat: the model carries that member's signed link to the activity page.</param>
    private object Model(ActivityView a, int number, int? memberId = null) => new
    {
        url = memberId is { } m ? links.Activity(m, a.Id) : null,
        number,
        id = a.Id,
        title = a.Title,
        kind = a.Kind.ToString(),
        organisation = a.OrganisationName,
        location = a.Location,
        starts_at = display.ToLocal(a.StartsAt),
        deadline = display.ToLocal(a.SignUpDeadline),
        capacity = a.Capacity,
        registered = a.Registered,
        waitlisted = a.Waitlisted,
        full = a.Capacity is { } c && a.Registered >= c,
        places_left = a.Capacity is { } cap ? Math.Max(0, cap - a.Registered) : (int?)null,
        my_status = a.MyStatus?.ToString(),
    };

    private OutboundReply Text(string template, object model, bool group = false) =>
        OutboundReply.FromText(templates.Render(template, model, group));
}
