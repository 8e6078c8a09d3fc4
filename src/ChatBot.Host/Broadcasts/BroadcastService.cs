using System.Globalization;
using System.Text;
using ChatBot.Core.Broadcasts;
using ChatBot.Core.Delivery;
using ChatBot.Core.Domain;
using ChatBot.Host.Admin;
using ChatBot.Host.Data;
using Cronos;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ChatBot.Host.Broadcasts;

/// <summary>The broadcast API's work: compose, preflight (no writes), confirm, pause/resume/cancel, report, resend.</summary>
public sealed class BroadcastService(
    ChatBotDbContext db,
    BroadcastRunner runner,
    BroadcastComposer composer,
    BroadcastRoutingPolicy routing,
    IRecurringJobManager recurring,
    IOptions<BroadcastsOptions> options,
    AuditLog audit,
    TimeProvider time)
{
    public const int MaxPageSize = 1000;

    public static readonly string[] ReportStatuses = ["Pending", "Sending", "Sent", "Failed", "Unknown", "Skipped"];

    private static readonly Dictionary<string, MemberStatus> StatusNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["正式党员"] = MemberStatus.Full, ["Full"] = MemberStatus.Full,
        ["预备党员"] = MemberStatus.Probationary, ["Probationary"] = MemberStatus.Probationary,
        ["入党积极分子"] = MemberStatus.Activist, ["Activist"] = MemberStatus.Activist,
    };

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    public async Task<IResult> CreateAsync(CreateBroadcastRequest? request, OrganisationScope scope, CancellationToken ct)
    {
        if (request is null) return Problem("body", "a JSON body is required");
        var (errors, audience) = await ValidateAsync(request, scope, ct);
        if (errors.Count > 0) return Results.ValidationProblem(errors);

        var now = Now;
        var broadcast = new Broadcast
        {
            Title = request.Title!.Trim(),
            Body = request.Text!,
            ContentItemId = request.ContentItemId,
            OrganisationId = audience!.OrganisationIds[0],
            IncludeGroupChats = audience.GroupChats,
            Audience = audience.ToJson(),
            Urgent = request.Urgent,
            MassSend = request.MassSend,
            Status = BroadcastStatus.Draft,
            CreatedBy = scope.Actor,
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.Broadcasts.Add(broadcast);
        // The entry is stored in the same save as the draft; its id is filled in once the database has given it.
        var entry = audit.RecordAs(scope.Actor, BroadcastAuditActions.Create, AuditEntity, null, await PathOfAsync(broadcast.OrganisationId, ct),
            after: AuditState(broadcast));
        await db.SaveChangesAsync(ct);
        entry.EntityId = broadcast.Id.ToString(CultureInfo.InvariantCulture);
        await db.SaveChangesAsync(ct);
        return Results.Created($"/api/v1/broadcasts/{broadcast.Id}", new { id = broadcast.Id, status = broadcast.Status.ToString() });
    }

    /// <summary>Changes a draft (title, text, content item, audience, urgent, mass send); anything confirmed → 409.</summary>
    public async Task<IResult> UpdateDraftAsync(int id, CreateBroadcastRequest? request, OrganisationScope scope, CancellationToken ct)
    {
        if (request is null) return Problem("body", "a JSON body is required");
        var broadcast = await FindAsync(id, scope, ct);
        if (broadcast is null) return NotFound();
        var (errors, audience) = await ValidateAsync(request, scope, ct);
        if (errors.Count > 0) return Results.ValidationProblem(errors);
        if (broadcast.Status != BroadcastStatus.Draft)
            return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "not a draft", detail: $"the broadcast is {broadcast.Status}");
        var before = AuditState(broadcast);
        broadcast.Title = request.Title!.Trim();
        broadcast.Body = request.Text!;
        broadcast.ContentItemId = request.ContentItemId;
        broadcast.OrganisationId = audience!.OrganisationIds[0];
        broadcast.IncludeGroupChats = audience.GroupChats;
        broadcast.Audience = audience.ToJson();
        broadcast.Urgent = request.Urgent;
        broadcast.MassSend = request.MassSend;
        broadcast.UpdatedAt = Now;
        audit.RecordAs(scope.Actor, BroadcastAuditActions.Update, AuditEntity, broadcast.Id, await PathOfAsync(broadcast.OrganisationId, ct),
            before, AuditState(broadcast));
        await db.SaveChangesAsync(ct);
        return Results.Ok(await ViewAsync(broadcast, ct));
    }

    public sealed record ListRow(int Id, string Title, string Status, DateTime CreatedAt, string CreatedBy, string? Cron, DateTime? ScheduledAt,
        int? LastRunId, string? LastRunStatus, IReadOnlyDictionary<string, int> LastRunCounts);

    /// <summary>
    /// The broadcasts the caller may open (every organisation of the audience in their scope), newest first, with the
    /// counts of each one's latest run.
    /// </summary>
    public async Task<(IReadOnlyList<ListRow> Rows, int Total)> ListAsync(OrganisationScope scope, int page, int pageSize, CancellationToken ct)
    {
        page = Math.Max(1, page);
        pageSize = Math.Clamp(pageSize, 1, MaxPageSize);
        var visible = await db.Organisations.AsNoTracking().WithinScope(scope).Select(o => o.Id).ToListAsync(ct);
        var visibleSet = visible.ToHashSet();
        // The first organisation of the audience is stored on the row: a cheap filter before the exact check.
        var candidates = await db.Broadcasts.AsNoTracking()
            .Where(b => scope.IsSuperAdmin || visible.Contains(b.OrganisationId))
            .OrderByDescending(b => b.Id)
            .Select(b => new { b.Id, b.Title, b.Status, b.CreatedAt, b.CreatedBy, b.Cron, b.ScheduledAt, b.Audience })
            .ToListAsync(ct);
        var allowed = candidates.Where(b => scope.IsSuperAdmin || BroadcastAudience.FromJson(b.Audience).OrganisationIds.All(visibleSet.Contains)).ToList();
        var pageRows = allowed.Skip((page - 1) * pageSize).Take(pageSize).ToList();
        var ids = pageRows.Select(b => b.Id).ToList();
        var lastRuns = (await db.BroadcastRuns.AsNoTracking().Where(r => r.BroadcastId != null && ids.Contains(r.BroadcastId.Value))
                .Select(r => new { r.Id, r.BroadcastId, r.Status }).ToListAsync(ct))
            .GroupBy(r => r.BroadcastId!.Value).ToDictionary(g => g.Key, g => g.MaxBy(r => r.Id)!);
        var runIds = lastRuns.Values.Select(r => (int?)r.Id).ToList();
        var counts = (await db.Deliveries.AsNoTracking().Where(d => runIds.Contains(d.BroadcastRunId))
                .GroupBy(d => new { d.BroadcastRunId, d.Status }).Select(g => new { g.Key.BroadcastRunId, g.Key.Status, Count = g.Count() }).ToListAsync(ct))
            .ToLookup(c => c.BroadcastRunId!.Value);
        var rows = pageRows.Select(b =>
        {
            var run = lastRuns.GetValueOrDefault(b.Id);
            var byStatus = ReportStatuses.ToDictionary(s => s, _ => 0);
            if (run is not null)
                foreach (var c in counts[run.Id]) byStatus[c.Status.ToString()] = c.Count;
            return new ListRow(b.Id, b.Title, b.Status.ToString(), b.CreatedAt, b.CreatedBy, b.Cron, b.ScheduledAt, run?.Id, run?.Status.ToString(), byStatus);
        }).ToList();
        return (rows, allowed.Count);
    }

    private async Task<(Dictionary<string, string[]> Errors, BroadcastAudience? Audience)> ValidateAsync(CreateBroadcastRequest request, OrganisationScope scope, CancellationToken ct)
    {
        var statuses = new List<MemberStatus>();
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var name in request.Audience?.Statuses ?? [])
        {
            if (StatusNames.TryGetValue(name?.Trim() ?? "", out var status)) statuses.Add(status);
            else errors["audience.statuses"] = [$"unknown member status '{name}' (正式党员, 预备党员, 入党积极分子)"];
        }
        var audience = request.Audience is null ? null : new BroadcastAudience
        {
            OrganisationIds = request.Audience.OrganisationIds?.Distinct().ToList() ?? [],
            IncludeSubtrees = request.Audience.IncludeSubtrees,
            Statuses = statuses.Distinct().ToList(),
            MobileOnly = request.Audience.MobileOnly,
            GroupChats = request.Audience.GroupChats,
        };
        foreach (var (key, value) in BroadcastRules.Validate(request.Title, request.Text, audience)) errors.TryAdd(key, value);

        if (audience is { OrganisationIds.Count: > 0 } && !errors.ContainsKey("audience.organisationIds"))
        {
            var ids = audience.OrganisationIds.ToList();
            var known = await db.Organisations.AsNoTracking().WithinScope(scope).Where(o => ids.Contains(o.Id)).Select(o => o.Id).ToListAsync(ct);
            var unknown = ids.Except(known).ToList();
            if (unknown.Count > 0)
                errors["audience.organisationIds"] = [$"unknown organisation {string.Join(", ", unknown)}"];
        }
        if (request.ContentItemId is { } contentId
            && !await ContentItemsInScope(scope).AnyAsync(c => c.Id == contentId, ct))
            errors["contentItemId"] = [$"no published content item {contentId}"];
        return (errors, audience);
    }

    public async Task<IResult> GetAsync(int id, OrganisationScope scope, CancellationToken ct)
    {
        var broadcast = await FindAsync(id, scope, ct);
        if (broadcast is null) return NotFound();
        await RefreshAsync(db, broadcast.Id, Now, ct);
        await db.Entry(broadcast).ReloadAsync(ct);
        return Results.Ok(await ViewAsync(broadcast, ct));
    }

    public async Task<IResult> PreflightAsync(int id, OrganisationScope scope, CancellationToken ct)
    {
        var started = time.GetTimestamp();
        var broadcast = await FindAsync(id, scope, ct);
        if (broadcast is null) return NotFound();
        var snapshot = await SnapshotAsync(broadcast, ct);
        var now = Now;
        var policy = routing.Current();
        var facts = await AudienceLoader.LoadAsync(db, snapshot.Audience, scope, now, routing.TimeZone, null, ct);
        var request = new RouteRequest(MessageKinds.Broadcast, snapshot.Urgent, snapshot.MassSend, CountsTowardsBudget: true);

        var byRoute = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var byReason = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var unreachable = new List<UnreachableRecipient>();
        var limit = options.Value.PreflightUnreachableLimit;
        var unreachableTotal = 0;
        var reachableMembers = 0;
        int? sampleMember = null;
        DateTime? deferred = null;
        var massRemaining = snapshot.MassSend ? new SortedDictionary<string, int>(StringComparer.Ordinal) : null;

        foreach (var member in facts.Members)
        {
            var decision = DeliveryRouter.Route(member.Facts, request, policy, now);
            if (massRemaining is not null && member.Facts.WeChat is { } wx)
            {
                var left = Math.Max(0, RoutingPolicy.MassSendsPerMonth - wx.MassSendsThisMonth).ToString(CultureInfo.InvariantCulture);
                massRemaining[left] = massRemaining.GetValueOrDefault(left) + 1;
            }
            if (decision.Route is { } route)
            {
                reachableMembers++;
                sampleMember ??= member.MemberId;
                deferred ??= decision.NotBefore;
                Count(byRoute, route.ToString());
            }
            else
            {
                Count(byReason, decision.Reason!.Value.ToString());
                if (unreachableTotal++ < limit)
                    unreachable.Add(new UnreachableRecipient(member.MemberId, null, member.Name, decision.Reason.Value.ToString()));
            }
        }
        var reachableChats = 0;
        foreach (var chat in facts.GroupChats)
        {
            var decision = DeliveryRouter.Route(chat.Facts);
            if (decision.Route is { } route)
            {
                reachableChats++;
                Count(byRoute, route.ToString());
            }
            else
            {
                Count(byReason, decision.Reason!.Value.ToString());
                if (unreachableTotal++ < limit)
                    unreachable.Add(new UnreachableRecipient(null, chat.GroupChatId, chat.Name, decision.Reason.Value.ToString()));
            }
        }

        // Members go as fast as the sender sustains; each robot gets one message, far under its 20 per minute.
        var estimate = reachableMembers / (double)options.Value.EstimatedMemberSendsPerSecond + (reachableChats > 0 ? 1 : 0);
        if (deferred is { } until) estimate += Math.Max(0, (until - now).TotalSeconds);
        var samples = composer.Samples(snapshot, sampleMember ?? 0, now);
        return Results.Ok(new PreflightView(
            facts.Members.Count + facts.GroupChats.Count,
            reachableMembers + reachableChats,
            byRoute, byReason, unreachable, unreachableTotal > unreachable.Count, massRemaining, deferred,
            Math.Round(estimate, 1), samples, Math.Round(time.GetElapsedTime(started).TotalMilliseconds, 1)));

        static void Count(IDictionary<string, int> counts, string key) => counts[key] = counts.TryGetValue(key, out var n) ? n + 1 : 1;
    }

    public async Task<IResult> ConfirmAsync(int id, ConfirmRequest? request, OrganisationScope scope, CancellationToken ct)
    {
        request ??= new ConfirmRequest();
        var broadcast = await FindAsync(id, scope, ct);
        if (broadcast is null) return NotFound();
        var now = Now;
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        CronExpression? cron = null;
        if (request.SendAt is not null && !string.IsNullOrWhiteSpace(request.Cron))
            errors["cron"] = ["give sendAt or cron, not both"];
        if (request.SendAt is { } sendAt)
        {
            // A minute of grace for clocks and "send at 10:00" confirmed at 10:00:20.
            if (sendAt.UtcDateTime < now.AddMinutes(-1)) errors["sendAt"] = ["sendAt is in the past"];
            else if (sendAt.UtcDateTime > now.AddYears(1)) errors["sendAt"] = ["sendAt is more than a year ahead"];
        }
        if (request.Cron is { } cronText && !string.IsNullOrWhiteSpace(cronText))
        {
            cron = TryParseCron(cronText);
            if (cron is null) errors["cron"] = [$"'{cronText}' is not a 5-field cron expression (minute hour day month weekday)"];
            else if (cron.GetNextOccurrence(now, routing.TimeZone) is null) errors["cron"] = ["the cron expression never occurs"];
        }
        if (errors.Count > 0) return Results.ValidationProblem(errors);
        if (broadcast.Status != BroadcastStatus.Draft)
            return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "already confirmed", detail: $"the broadcast is {broadcast.Status}");

        broadcast.ConfirmedAt = now;
        broadcast.UpdatedAt = now;
        audit.RecordAs(scope.Actor, BroadcastAuditActions.Confirm, AuditEntity, broadcast.Id, await PathOfAsync(broadcast.OrganisationId, ct),
            after: new { sendAt = request.SendAt, cron = request.Cron?.Trim() is { Length: > 0 } c ? c : null, now = request.SendAt is null && string.IsNullOrWhiteSpace(request.Cron) });
        if (cron is not null)
        {
            broadcast.Cron = request.Cron!.Trim();
            broadcast.Status = BroadcastStatus.Scheduled;
            await db.SaveChangesAsync(ct);
            BroadcastScheduler.Register(recurring, broadcast.Id, broadcast.Cron, routing.TimeZone);
        }
        else if (request.SendAt is { } at && at.UtcDateTime > now)
        {
            broadcast.ScheduledAt = at.UtcDateTime;
            broadcast.Status = BroadcastStatus.Scheduled;
            await db.SaveChangesAsync(ct);
        }
        else
        {
            broadcast.Status = BroadcastStatus.Scheduled;
            broadcast.ScheduledAt = now;
            await db.SaveChangesAsync(ct);
            // The run exists when this returns; its rows are written in the background (Planned → Sending).
            await runner.StartAsync(broadcast.Id, now, CancellationToken.None, inBackground: true);
        }
        await db.Entry(broadcast).ReloadAsync(ct);
        return Results.Ok(await ViewAsync(broadcast, ct));
    }

    public async Task<IResult> PauseAsync(int id, OrganisationScope scope, CancellationToken ct)
    {
        var broadcast = await FindAsync(id, scope, ct);
        if (broadcast is null) return NotFound();
        var run = await ActiveRunAsync(id, ct);
        if (run is null || run.Status is not (RunStatus.Planned or RunStatus.Sending))
            return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "nothing to pause", detail: "no run of this broadcast is sending");
        run.Status = RunStatus.Paused;
        if (broadcast.Cron is null) broadcast.Status = BroadcastStatus.Paused;
        broadcast.UpdatedAt = Now;
        audit.RecordAs(scope.Actor, BroadcastAuditActions.Pause, AuditEntity, broadcast.Id, await PathOfAsync(broadcast.OrganisationId, ct), after: new { runId = run.Id });
        await db.SaveChangesAsync(ct);
        await BroadcastRunner.HoldRowsAsync(db, run.Id, ct);
        return Results.Ok(await ViewAsync(broadcast, ct));
    }

    public async Task<IResult> ResumeAsync(int id, OrganisationScope scope, CancellationToken ct)
    {
        var broadcast = await FindAsync(id, scope, ct);
        if (broadcast is null) return NotFound();
        var run = await ActiveRunAsync(id, ct);
        if (run is null || run.Status != RunStatus.Paused)
            return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "nothing to resume", detail: "no run of this broadcast is paused");
        run.Status = run.EnqueuedAt is null ? RunStatus.Planned : RunStatus.Sending;
        if (broadcast.Cron is null) broadcast.Status = BroadcastStatus.Running;
        broadcast.UpdatedAt = Now;
        audit.RecordAs(scope.Actor, BroadcastAuditActions.Resume, AuditEntity, broadcast.Id, await PathOfAsync(broadcast.OrganisationId, ct), after: new { runId = run.Id });
        await db.SaveChangesAsync(ct);
        await runner.ReleaseRowsAsync(db, run, ct);
        return Results.Ok(await ViewAsync(broadcast, ct));
    }

    public async Task<IResult> CancelAsync(int id, OrganisationScope scope, CancellationToken ct)
    {
        var broadcast = await FindAsync(id, scope, ct);
        if (broadcast is null) return NotFound();
        if (broadcast.Status is BroadcastStatus.Cancelled or BroadcastStatus.Completed)
            return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "nothing to cancel", detail: $"the broadcast is {broadcast.Status}");
        var now = Now;
        broadcast.Status = BroadcastStatus.Cancelled;
        broadcast.UpdatedAt = now;
        var active = await db.BroadcastRuns.Where(r => r.BroadcastId == id && (r.Status == RunStatus.Planned || r.Status == RunStatus.Sending || r.Status == RunStatus.Paused)).ToListAsync(ct);
        foreach (var run in active)
        {
            run.Status = RunStatus.Cancelled;
            run.FinishedAt = now;
        }
        audit.RecordAs(scope.Actor, BroadcastAuditActions.Cancel, AuditEntity, broadcast.Id, await PathOfAsync(broadcast.OrganisationId, ct),
            after: new { runIds = active.Select(r => r.Id).ToList() });
        await db.SaveChangesAsync(ct);
        foreach (var run in active) await BroadcastRunner.CancelRowsAsync(db, run.Id, ct);
        if (broadcast.Cron is not null) recurring.RemoveIfExists(BroadcastScheduler.JobId(broadcast.Id));
        return Results.Ok(await ViewAsync(broadcast, ct));
    }

    public async Task<IResult> ResendFailedAsync(int id, ResendRequest? request, OrganisationScope scope, CancellationToken ct)
    {
        var broadcast = await FindAsync(id, scope, ct);
        if (broadcast is null) return NotFound();
        if (broadcast.Status == BroadcastStatus.Cancelled)
            return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "cancelled", detail: "the broadcast is cancelled");
        var includeUnknown = request?.IncludeUnknown ?? false;
        await RefreshAsync(db, id, Now, ct);
        var last = await db.BroadcastRuns.AsNoTracking().Where(r => r.BroadcastId == id).OrderByDescending(r => r.Id).FirstOrDefaultAsync(ct);
        if (last is null)
            return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "no run", detail: "the broadcast has not run yet");
        // A second click while the resend is still going answers that resend instead of stacking another on it.
        if (last.ResendOfRunId is { } resentRunId && last.Status is RunStatus.Planned or RunStatus.Sending or RunStatus.Paused)
            return Results.Ok(new { runId = last.Id, resendOfRunId = resentRunId, status = last.Status.ToString(),
                rows = await db.Deliveries.CountAsync(d => d.BroadcastRunId == last.Id, ct), created = false });
        var anything = await db.Deliveries.AnyAsync(d => d.BroadcastRunId == last.Id
            && (d.Status == DeliveryStatus.Failed || (includeUnknown && d.Status == DeliveryStatus.Unknown)), ct);
        if (!anything && !await db.BroadcastRuns.AnyAsync(r => r.RunKey == BroadcastRules.ResendRunKey(id, last.Id), ct))
            return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "nothing to resend",
                detail: includeUnknown ? "the last run has no Failed or Unknown rows" : "the last run has no Failed rows (tick includeUnknown for Unknown rows)");
        var result = await runner.StartResendAsync(id, last.Id, includeUnknown, CancellationToken.None, inBackground: true);
        var rows = await db.Deliveries.CountAsync(d => d.BroadcastRunId == last.Id
            && (d.Status == DeliveryStatus.Failed || (includeUnknown && d.Status == DeliveryStatus.Unknown)), ct);
        var body = new { runId = result.Run.Id, resendOfRunId = last.Id, status = result.Run.Status.ToString(), rows, created = result.Created };
        if (result.Created)
        {
            audit.RecordAs(scope.Actor, BroadcastAuditActions.Resend, AuditEntity, broadcast.Id, await PathOfAsync(broadcast.OrganisationId, ct),
                after: new { runId = result.Run.Id, resendOfRunId = last.Id, includeUnknown, rows });
            await db.SaveChangesAsync(ct);
        }
        return result.Created ? Results.Created($"/api/v1/broadcasts/{id}/report?runId={result.Run.Id}", body) : Results.Ok(body);
    }

    public async Task<IResult> ReportAsync(int id, int? runId, int page, int pageSize, OrganisationScope scope, CancellationToken ct, string? status = null, bool revealPhones = false)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        DeliveryStatus? only = null;
        if (!string.IsNullOrWhiteSpace(status))
        {
            if (Enum.TryParse<DeliveryStatus>(status.Trim(), ignoreCase: true, out var parsed) && ReportStatuses.Contains(parsed.ToString())) only = parsed;
            else errors["status"] = [$"status is one of {string.Join(", ", ReportStatuses)}"];
        }
        if (page < 1) errors["page"] = ["page starts at 1"];
        if (pageSize is < 1 or > MaxPageSize) errors["pageSize"] = [$"pageSize must be between 1 and {MaxPageSize}"];
        if (errors.Count > 0) return Results.ValidationProblem(errors);
        var broadcast = await FindAsync(id, scope, ct);
        if (broadcast is null) return NotFound();
        await RefreshAsync(db, id, Now, ct);
        await db.Entry(broadcast).ReloadAsync(ct);
        var run = await ReportRunAsync(id, runId, ct);
        if (runId is not null && run is null) return Results.ValidationProblem(new Dictionary<string, string[]> { ["runId"] = [$"no run {runId} of this broadcast"] });
        var counts = ReportStatuses.ToDictionary(s => s, _ => 0);
        var rows = new List<ReportRow>();
        var total = 0;
        if (run is not null)
        {
            foreach (var group in await db.Deliveries.AsNoTracking().Where(d => d.BroadcastRunId == run.Id)
                         .GroupBy(d => d.Status).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct))
                counts[group.Key.ToString()] = group.Count;
            total = only is { } filter ? counts[filter.ToString()] : counts.Values.Sum();
            var raw = await RowsQuery(run.Id, only).Skip((page - 1) * pageSize).Take(pageSize).ToListAsync(ct);
            rows = raw.Select(r => ToRow(r, revealPhones)).ToList();
        }
        return Results.Ok(new ReportView(id, run?.Id, broadcast.Status.ToString(), run?.Status.ToString(), counts, page, pageSize, total, rows));
    }

    /// <summary>
    /// The report as CSV, streamed: rows come from an async query straight to the response, flushed in chunks, so
    /// 100,000 rows never sit in memory together.
    /// </summary>
    public async Task<IResult> ReportCsvAsync(int id, int? runId, OrganisationScope scope, CancellationToken ct)
    {
        var broadcast = await FindAsync(id, scope, ct);
        if (broadcast is null) return NotFound();
        var run = await ReportRunAsync(id, runId, ct);
        if (runId is not null && run is null) return Results.ValidationProblem(new Dictionary<string, string[]> { ["runId"] = [$"no run {runId} of this broadcast"] });
        var fileName = string.Create(CultureInfo.InvariantCulture, $"broadcast-{id}-run-{run?.Id ?? 0}.csv");
        return Results.Stream(async stream =>
        {
            await using var writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), bufferSize: 64 * 1024);
            await writer.WriteLineAsync("delivery_id,member_id,group_chat_id,name,phone,route,status,reason,sent_at");
            if (run is null) return;
            var n = 0;
            await foreach (var raw in RowsQuery(run.Id).AsAsyncEnumerable().WithCancellation(ct))
            {
                var row = ToRow(raw);
                await writer.WriteLineAsync(string.Join(',',
                    row.DeliveryId.ToString(CultureInfo.InvariantCulture),
                    row.MemberId?.ToString(CultureInfo.InvariantCulture) ?? "",
                    row.GroupChatId?.ToString(CultureInfo.InvariantCulture) ?? "",
                    Csv(row.Name), Csv(row.Phone), row.Route ?? "", row.Status, Csv(row.Reason ?? ""),
                    row.SentAt?.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? ""));
                if (++n % 1000 == 0) await writer.FlushAsync(ct);
            }
        }, "text/csv; charset=utf-8", fileName);
    }

    private sealed record RawRow(long Id, int? MemberId, int? GroupChatId, string? MemberName, string? Phone, string? ChatName,
        DeliveryRoute Route, DeliveryStatus Status, string? SkipReason, string? LastError, DateTime? SentAt);

    private IQueryable<RawRow> RowsQuery(int runId, DeliveryStatus? status = null) =>
        from d in db.Deliveries.AsNoTracking()
        where d.BroadcastRunId == runId && (status == null || d.Status == status)
        join m in db.Members on d.MemberId equals (int?)m.Id into ms
        from m in ms.DefaultIfEmpty()
        join g in db.GroupChats on d.GroupChatId equals (int?)g.Id into gs
        from g in gs.DefaultIfEmpty()
        orderby d.Id
        select new RawRow(d.Id, d.MemberId, d.GroupChatId, m.Name, m.Phone, g.Name, d.Route, d.Status, d.SkipReason, d.LastError, d.SentAt);

    private static ReportRow ToRow(RawRow r) => ToRow(r, revealPhones: false);

    /// <summary><paramref name="revealPhones"/>: the console shows 超级管理员 full numbers; the API and the CSV always mask.</summary>
    private static ReportRow ToRow(RawRow r, bool revealPhones) => new(
        r.Id, r.MemberId, r.GroupChatId, r.MemberName ?? r.ChatName ?? "", revealPhones ? r.Phone ?? "" : PhoneMask.Mask(r.Phone),
        r.Status == DeliveryStatus.Skipped ? null : r.Route.ToString(), r.Status.ToString(),
        r.Status == DeliveryStatus.Skipped ? r.SkipReason : r.LastError, r.SentAt);

    /// <summary>Quotes every text cell and defuses spreadsheet formulas (a name starting with = + - @).</summary>
    private static string Csv(string value)
    {
        if (value.Length > 0 && "=+-@\t\r".Contains(value[0])) value = "'" + value;
        return "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

    /// <summary>
    /// Marks runs whose rows are all final (nothing Pending or Sending) as Completed, and a one-off broadcast with
    /// its last run completed as Completed. Called by the scheduler's pass and before a report is read.
    /// </summary>
    public static async Task RefreshAsync(ChatBotDbContext db, int? broadcastId, DateTime now, CancellationToken ct)
    {
        var runs = db.BroadcastRuns.Where(r => r.Status == RunStatus.Sending && r.EnqueuedAt != null
            && !db.Deliveries.Any(d => d.BroadcastRunId == r.Id && d.Status != DeliveryStatus.Sent && d.Status != DeliveryStatus.Failed
                && d.Status != DeliveryStatus.Unknown && d.Status != DeliveryStatus.Skipped));
        if (broadcastId is { } only) runs = runs.Where(r => r.BroadcastId == only);
        var finished = await runs.Select(r => new { r.Id, r.BroadcastId }).ToListAsync(ct);
        if (finished.Count == 0) return;
        var ids = finished.Select(r => r.Id).ToList();
        await db.BroadcastRuns.Where(r => ids.Contains(r.Id) && r.Status == RunStatus.Sending)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, RunStatus.Completed).SetProperty(r => r.FinishedAt, now), ct);
        var broadcasts = finished.Select(r => r.BroadcastId).Distinct().ToList();
        await db.Broadcasts.Where(b => broadcasts.Contains(b.Id) && b.Cron == null && b.Status == BroadcastStatus.Running
                && !db.BroadcastRuns.Any(r => r.BroadcastId == b.Id && (r.Status == RunStatus.Planned || r.Status == RunStatus.Sending || r.Status == RunStatus.Paused)))
            .ExecuteUpdateAsync(s => s.SetProperty(b => b.Status, BroadcastStatus.Completed).SetProperty(b => b.UpdatedAt, now), ct);
    }

    public static CronExpression? TryParseCron(string text)
    {
        try
        {
            return CronExpression.Parse(text.Trim(), CronFormat.Standard);
        }
        catch (CronFormatException)
        {
            return null;
        }
    }

    private async Task<BroadcastRun?> ActiveRunAsync(int broadcastId, CancellationToken ct) =>
        await db.BroadcastRuns.Where(r => r.BroadcastId == broadcastId
                && (r.Status == RunStatus.Planned || r.Status == RunStatus.Sending || r.Status == RunStatus.Paused))
            .OrderByDescending(r => r.Id).FirstOrDefaultAsync(ct);

    private async Task<BroadcastRun?> ReportRunAsync(int broadcastId, int? runId, CancellationToken ct) =>
        await db.BroadcastRuns.AsNoTracking().Where(r => r.BroadcastId == broadcastId && (runId == null || r.Id == runId))
            .OrderByDescending(r => r.Id).FirstOrDefaultAsync(ct);

    /// <summary>The broadcast when the caller's scope covers every organisation of its audience (else it does not exist for them).</summary>
    private async Task<Broadcast?> FindAsync(int id, OrganisationScope scope, CancellationToken ct)
    {
        var broadcast = await db.Broadcasts.SingleOrDefaultAsync(b => b.Id == id, ct);
        if (broadcast is null || scope.IsSuperAdmin) return broadcast;
        var ids = BroadcastAudience.FromJson(broadcast.Audience).OrganisationIds.ToList();
        var visible = await db.Organisations.AsNoTracking().WithinScope(scope).CountAsync(o => ids.Contains(o.Id), ct);
        return visible == ids.Count ? broadcast : null;
    }

    private async Task<BroadcastSnapshot> SnapshotAsync(Broadcast broadcast, CancellationToken ct)
    {
        var kind = broadcast.ContentItemId is { } contentId
            ? await db.ContentItems.Where(c => c.Id == contentId).Select(c => (ContentKind?)c.Kind).SingleOrDefaultAsync(ct)
            : null;
        return new BroadcastSnapshot(broadcast.Title, broadcast.Body, kind is null ? null : broadcast.ContentItemId, kind,
            BroadcastAudience.FromJson(broadcast.Audience), broadcast.Urgent, broadcast.MassSend);
    }

    private async Task<BroadcastView> ViewAsync(Broadcast b, CancellationToken ct)
    {
        var audience = BroadcastAudience.FromJson(b.Audience);
        var runs = await db.BroadcastRuns.AsNoTracking().Where(r => r.BroadcastId == b.Id).OrderBy(r => r.Id)
            .Select(r => new { r.Id, r.RunKey, r.Status, r.SlotAt, r.ResendOfRunId, r.StartedAt, r.FinishedAt }).ToListAsync(ct);
        DateTime? next = b.Cron is not null && b.Status == BroadcastStatus.Scheduled
            ? TryParseCron(b.Cron)?.GetNextOccurrence(Now, routing.TimeZone)
            : null;
        return new BroadcastView(b.Id, b.Status.ToString(), b.Title, b.Body, b.ContentItemId,
            new AudienceView(audience.OrganisationIds, audience.IncludeSubtrees, audience.Statuses.Select(BroadcastRules.StatusName).ToList(), audience.MobileOnly, audience.GroupChats),
            b.Urgent, b.MassSend, b.Cron is null ? b.ScheduledAt : null, b.Cron, next, b.CreatedAt, b.CreatedBy,
            runs.Select(r => new RunView(r.Id, r.RunKey, r.Status.ToString(), r.SlotAt, r.ResendOfRunId, r.StartedAt, r.FinishedAt)).ToList());
    }

    private const string AuditEntity = "Broadcast";

    private static object AuditState(Broadcast b) => new
    {
        title = b.Title, text = b.Body, contentItemId = b.ContentItemId, audience = BroadcastAudience.FromJson(b.Audience), urgent = b.Urgent, massSend = b.MassSend,
    };

    private async Task<OrganisationPath> PathOfAsync(int organisationId, CancellationToken ct) =>
        await db.Organisations.AsNoTracking().Where(o => o.Id == organisationId).Select(o => o.Path).SingleOrDefaultAsync(ct) is { } path
            ? OrganisationPath.Parse(path)
            : OrganisationPath.Root;

    /// <summary>Published items a broadcast may link: the committee's own (no organisation) and those of organisations in scope.</summary>
    public IQueryable<ContentItem> ContentItemsInScope(OrganisationScope scope)
    {
        var organisations = db.Organisations.AsNoTracking().WithinScope(scope).Select(o => (int?)o.Id);
        return db.ContentItems.AsNoTracking().Where(c => c.Status == ContentStatus.Published
            && (c.OrganisationId == null || scope.IsSuperAdmin || organisations.Contains(c.OrganisationId)));
    }

    private static IResult NotFound() => Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "no such broadcast");

    private static IResult Problem(string field, string message) =>
        Results.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] });
}

/// <summary>Audit actions of broadcasts (the API and the console write the same ones, from <see cref="BroadcastService"/>).</summary>
public static class BroadcastAuditActions
{
    public const string Create = "broadcast.create";
    public const string Update = "broadcast.update";
    public const string Confirm = "broadcast.confirm";
    public const string Pause = "broadcast.pause";
    public const string Resume = "broadcast.resume";
    public const string Cancel = "broadcast.cancel";
    public const string Resend = "broadcast.resend";
}
