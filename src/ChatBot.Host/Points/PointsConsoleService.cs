using ChatBot.Core.Conversation;
using ChatBot.Core.Domain;
using ChatBot.Host.Admin;
using ChatBot.Host.Data;
using Microsoft.EntityFrameworkCore;

namespace ChatBot.Host.Points;

public sealed record PointsRuleRow(int Id, string Code, string Name, int Points, int? DailyCap, bool NeedsApproval, bool Active);

public sealed record PointsRuleInput(string? Code, string Name, int Points, int? DailyCap, bool NeedsApproval, bool Active);

public sealed record StarLevelRow(int Id, string Name, string RuleCodes, int QuarterThreshold, bool Active);

/// <summary>One ledger line explained: which rule, when, for what, who asked and who decided, what it reverses.</summary>
public sealed record LedgerLine(long Id, int MemberId, string MemberName, string Branch, string RuleCode, string RuleName, int Points, PointsEntryStatus Status,
    string SourceKey, string? Note, string? Evidence, string? RequestedBy, string? DecidedBy, DateTime? DecidedAt, string? DecisionNote,
    long? ReversesEntryId, long? ReversedByEntryId, DateTime CreatedAt);

public sealed record MemberLedger(int MemberId, string Name, string Branch, int Total, int QuarterPoints, string QuarterLabel,
    IReadOnlyList<(string Star, int Points)> Stars, IReadOnlyList<LedgerLine> Lines);

/// <summary>Branch-level figures only: no individual ranking (DOMAIN.md, 形式主义).</summary>
public sealed record BranchPoints(int OrganisationId, string Branch, int Members, int QuarterPoints, double Average, IReadOnlyDictionary<string, int> StarCounts);

/// <summary>
/// 积分 in the console: rules and star levels (超级管理员), manual credit or deduction requested by one admin and
/// approved or rejected by another (the four-eyes rule is <see cref="PointsEntry.Decide"/> in Core), reversals as new
/// lines, a member's ledger explained, and branch aggregates per quarter. Members outside the scope are not found.
/// </summary>
public sealed class PointsConsoleService(ChatBotDbContext db, AuditLog audit, TimeProvider time, DisplayTime display)
{
    public const string ManualRuleName = "人工加减分";

    public async Task<IReadOnlyList<PointsRuleRow>> RulesAsync(CancellationToken ct = default) =>
        await db.PointsRules.AsNoTracking().OrderBy(r => r.Id)
            .Select(r => new PointsRuleRow(r.Id, r.Code, r.Name, r.Points, r.DailyCap, r.NeedsApproval, r.Active)).ToListAsync(ct);

    /// <summary>Creates (id null) or edits a rule; committee-wide, so 超级管理员 only. The code of an existing rule never changes (the engine credits by it).</summary>
    public async Task<PointsRuleRow> SaveRuleAsync(OrganisationScope scope, int? id, PointsRuleInput input, CancellationToken ct = default)
    {
        RequireSuperAdmin(scope);
        var name = (input.Name ?? "").Trim();
        if (name.Length is 0 or > 100) throw new RuleViolation("name", "请填写规则名称（最多 100 字）");
        if (input.Points is < -100 or > 100 || input.Points == 0) throw new RuleViolation("points", "分值须为 -100 到 100 之间的非零整数");
        if (input.DailyCap is { } cap && (cap < 1 || cap > 1000)) throw new RuleViolation("dailyCap", "每日上限须为 1 到 1000，不限请留空");
        PointsRule rule;
        object? before = null;
        if (id is null)
        {
            var code = (input.Code ?? "").Trim();
            if (code.Length is < 2 or > 64 || !code.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_'))
                throw new RuleViolation("code", "规则代码须为 2 到 64 位字母、数字或 . - _");
            if (await db.PointsRules.AnyAsync(r => r.Code == code, ct)) throw new RuleViolation("code", "规则代码已存在");
            rule = new PointsRule { Code = code, Name = name };
            db.PointsRules.Add(rule);
        }
        else
        {
            rule = await db.PointsRules.SingleOrDefaultAsync(r => r.Id == id, ct) ?? throw new RuleViolation("id", "规则不存在");
            if (rule.Code == PointsRuleCodes.Manual) throw new RuleViolation("id", "人工加减分规则由每笔申请自带分值，不能修改");
            before = Row(rule);
        }
        rule.Name = name;
        rule.Points = input.Points;
        rule.DailyCap = input.DailyCap;
        rule.NeedsApproval = input.NeedsApproval;
        rule.Active = input.Active;
        await db.SaveChangesAsync(ct);
        audit.RecordAs(scope.Actor, id is null ? "points-rule.create" : "points-rule.update", nameof(PointsRule), rule.Id, OrganisationPath.Root, before, Row(rule));
        await db.SaveChangesAsync(ct);
        return Row(rule);
    }

    public async Task<IReadOnlyList<StarLevelRow>> StarLevelsAsync(CancellationToken ct = default) =>
        await db.StarLevels.AsNoTracking().OrderBy(l => l.Id).Select(l => new StarLevelRow(l.Id, l.Name, l.RuleCodes, l.QuarterThreshold, l.Active)).ToListAsync(ct);

    public async Task<StarLevelRow> SaveStarLevelAsync(OrganisationScope scope, int? id, string name, string? ruleCodes, int quarterThreshold, bool active, CancellationToken ct = default)
    {
        RequireSuperAdmin(scope);
        StarLevels.Validate(name, quarterThreshold);
        var codes = (ruleCodes ?? "").Split([' ', ',', '，'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var known = await db.PointsRules.Select(r => r.Code).ToListAsync(ct);
        if (codes.FirstOrDefault(c => !known.Contains(c)) is { } unknown) throw new RuleViolation("ruleCodes", $"没有代码为“{unknown}”的积分规则");
        StarLevel level;
        object? before = null;
        if (id is null)
        {
            level = new StarLevel { Name = name.Trim() };
            db.StarLevels.Add(level);
        }
        else
        {
            level = await db.StarLevels.SingleOrDefaultAsync(l => l.Id == id, ct) ?? throw new RuleViolation("id", "星级不存在");
            before = new { level.Name, level.RuleCodes, level.QuarterThreshold, level.Active };
        }
        level.Name = name.Trim();
        level.RuleCodes = string.Join(' ', codes);
        level.QuarterThreshold = quarterThreshold;
        level.Active = active;
        try { await db.SaveChangesAsync(ct); }
        catch (DbUpdateException) { throw new RuleViolation("name", "已有同名星级"); }
        audit.RecordAs(scope.Actor, id is null ? "star-level.create" : "star-level.update", nameof(StarLevel), level.Id, OrganisationPath.Root, before,
            new { level.Name, level.RuleCodes, level.QuarterThreshold, level.Active });
        await db.SaveChangesAsync(ct);
        return new StarLevelRow(level.Id, level.Name, level.RuleCodes, level.QuarterThreshold, level.Active);
    }

    /// <summary>A manual credit (+) or deduction (−) for a member in scope, pending a second admin. Null when the member is not found in scope.</summary>
    public async Task<LedgerLine?> RequestManualAsync(OrganisationScope scope, int memberId, int points, string? reason, string? evidence, CancellationToken ct = default)
    {
        var member = await db.Members.AsNoTracking().WithinScope(scope).Where(m => m.Id == memberId).Select(m => new { m.Id, m.Organisation!.Path }).SingleOrDefaultAsync(ct);
        if (member is null) return null;
        var rule = await ManualRuleAsync(ct);
        var entry = PointsEntry.ManualRequest(memberId, rule.Id, points, reason ?? "", evidence, scope.Actor, time.GetUtcNow().UtcDateTime, Guid.NewGuid().ToString("N"));
        db.PointsEntries.Add(entry);
        await db.SaveChangesAsync(ct);
        audit.RecordAs(scope.Actor, "points.request", nameof(PointsEntry), entry.Id, OrganisationPath.Parse(member.Path), after: new { entry.MemberId, entry.Points, entry.Note, entry.Evidence });
        await db.SaveChangesAsync(ct);
        return (await LinesAsync(scope, db.PointsEntries.Where(e => e.Id == entry.Id), ct)).Single();
    }

    public async Task<(IReadOnlyList<LedgerLine> Items, int Total)> PendingAsync(OrganisationScope scope, int skip, int take, CancellationToken ct = default)
    {
        var query = InScope(scope).Where(e => e.Status == PointsEntryStatus.PendingApproval);
        var total = await query.CountAsync(ct);
        return (await LinesAsync(scope, query.OrderBy(e => e.CreatedAt).ThenBy(e => e.Id).Skip(skip).Take(take), ct), total);
    }

    /// <summary>Approves or rejects a pending line; null when not found in scope. The requester cannot decide their own request.</summary>
    public async Task<(PointsDecisionOutcome Outcome, LedgerLine Line)?> DecideAsync(OrganisationScope scope, long entryId, bool approve, string? note, CancellationToken ct = default)
    {
        var entry = await InScope(scope).SingleOrDefaultAsync(e => e.Id == entryId, ct);
        if (entry is null) return null;
        var before = new { entry.Status };
        var outcome = entry.Decide(scope.Actor, approve, note, time.GetUtcNow().UtcDateTime);
        if (outcome is PointsDecisionOutcome.Approved or PointsDecisionOutcome.Rejected)
        {
            audit.RecordAs(scope.Actor, approve ? "points.approve" : "points.reject", nameof(PointsEntry), entry.Id, await MemberPathAsync(entry.MemberId, ct), before,
                new { entry.Status, entry.MemberId, entry.Points, entry.RequestedBy, entry.DecisionNote });
            await db.SaveChangesAsync(ct);
        }
        return (outcome, (await LinesAsync(scope, db.PointsEntries.Where(e => e.Id == entryId), ct)).Single());
    }

    /// <summary>Reverses an approved line with a new, opposite line (the original stays as it was). Null when not found in scope.</summary>
    public async Task<LedgerLine?> ReverseAsync(OrganisationScope scope, long entryId, string? reason, CancellationToken ct = default)
    {
        var entry = await InScope(scope).SingleOrDefaultAsync(e => e.Id == entryId, ct);
        if (entry is null) return null;
        if (await db.PointsEntries.AnyAsync(e => e.ReversesEntryId == entryId, ct)) throw new RuleViolation("entryId", "该记录已冲正");
        var reversal = entry.Reverse(scope.Actor, reason ?? "", time.GetUtcNow().UtcDateTime);
        db.PointsEntries.Add(reversal);
        try { await db.SaveChangesAsync(ct); }
        catch (DbUpdateException) { throw new RuleViolation("entryId", "该记录已冲正"); }
        audit.RecordAs(scope.Actor, "points.reverse", nameof(PointsEntry), reversal.Id, await MemberPathAsync(entry.MemberId, ct), null,
            new { ReversesEntryId = entryId, reversal.MemberId, reversal.Points, reversal.Note });
        await db.SaveChangesAsync(ct);
        return (await LinesAsync(scope, db.PointsEntries.Where(e => e.Id == reversal.Id), ct)).Single();
    }

    /// <summary>A member's ledger, newest first, every line explained; total and this quarter's stars from approved lines only.</summary>
    public async Task<MemberLedger?> LedgerAsync(OrganisationScope scope, int memberId, CancellationToken ct = default)
    {
        var member = await db.Members.AsNoTracking().WithinScope(scope).Where(m => m.Id == memberId)
            .Select(m => new { m.Id, m.Name, Branch = m.Organisation!.Name }).SingleOrDefaultAsync(ct);
        if (member is null) return null;
        var lines = await LinesAsync(scope, db.PointsEntries.Where(e => e.MemberId == memberId).OrderByDescending(e => e.CreatedAt).ThenByDescending(e => e.Id), ct);
        var (start, end, label) = display.LocalQuarter(time.GetUtcNow().UtcDateTime);
        var approved = lines.Where(l => l.Status == PointsEntryStatus.Approved).Select(l => new LedgerPoint(l.RuleCode, l.Points, l.CreatedAt)).ToList();
        var stars = StarLevels.Earned(approved, await db.StarLevels.AsNoTracking().ToListAsync(ct), start, end).Select(s => (s.Level.Name, s.Points)).ToList();
        return new MemberLedger(member.Id, member.Name, member.Branch, approved.Sum(p => p.Points),
            approved.Where(p => p.At >= start && p.At < end).Sum(p => p.Points), label, stars, lines);
    }

    /// <summary>Per branch in scope: members, approved points this quarter, average, and how many members earned each star. No names.</summary>
    public async Task<(string Quarter, IReadOnlyList<BranchPoints> Branches)> BranchAggregatesAsync(OrganisationScope scope, CancellationToken ct = default)
    {
        var (start, end, label) = display.LocalQuarter(time.GetUtcNow().UtcDateTime);
        var members = await db.Members.AsNoTracking().WithinScope(scope).Select(m => new { m.Id, m.OrganisationId, Branch = m.Organisation!.Name }).ToListAsync(ct);
        var points = await InScope(scope).AsNoTracking().Where(e => e.Status == PointsEntryStatus.Approved && e.CreatedAt >= start && e.CreatedAt < end)
            .Select(e => new { e.MemberId, Code = e.PointsRule!.Code, e.Points, e.CreatedAt }).ToListAsync(ct);
        var levels = await db.StarLevels.AsNoTracking().ToListAsync(ct);
        var byMember = points.ToLookup(p => p.MemberId);
        var branches = members.GroupBy(m => (m.OrganisationId, m.Branch)).OrderBy(g => g.Key.Branch, StringComparer.Ordinal).Select(g =>
        {
            var sum = g.Sum(m => byMember[m.Id].Sum(p => p.Points));
            var starCounts = levels.Where(l => l.Active).ToDictionary(l => l.Name, l => g.Count(m =>
                StarLevels.Earned(byMember[m.Id].Select(p => new LedgerPoint(p.Code, p.Points, p.CreatedAt)), [l], start, end).Count > 0));
            return new BranchPoints(g.Key.OrganisationId, g.Key.Branch, g.Count(), sum, g.Any() ? Math.Round((double)sum / g.Count(), 1) : 0, starCounts);
        }).ToList();
        return (label, branches);
    }

    public async Task<IReadOnlyList<(int Id, string Name, string Branch)>> FindMembersAsync(OrganisationScope scope, string? name, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(name)) return [];
        var n = name.Trim();
        return (await db.Members.AsNoTracking().WithinScope(scope).Where(m => m.Name.Contains(n)).OrderBy(m => m.Name).Take(50)
            .Select(m => new { m.Id, m.Name, Branch = m.Organisation!.Name }).ToListAsync(ct)).Select(m => (m.Id, m.Name, m.Branch)).ToList();
    }

    private async Task<PointsRule> ManualRuleAsync(CancellationToken ct)
    {
        var rule = await db.PointsRules.SingleOrDefaultAsync(r => r.Code == PointsRuleCodes.Manual, ct);
        if (rule is not null) return rule;
        rule = new PointsRule { Code = PointsRuleCodes.Manual, Name = ManualRuleName, Points = 0, NeedsApproval = true, Active = true };
        db.PointsRules.Add(rule);
        try { await db.SaveChangesAsync(ct); }
        catch (DbUpdateException)
        {
            // Another request created it first.
            db.Entry(rule).State = EntityState.Detached;
            rule = await db.PointsRules.SingleAsync(r => r.Code == PointsRuleCodes.Manual, ct);
        }
        return rule;
    }

    private IQueryable<PointsEntry> InScope(OrganisationScope scope)
    {
        var members = db.Members.WithinScope(scope).Select(m => m.Id);
        return scope.Root == OrganisationPath.Root ? db.PointsEntries : db.PointsEntries.Where(e => members.Contains(e.MemberId));
    }

    private async Task<OrganisationPath> MemberPathAsync(int memberId, CancellationToken ct) =>
        OrganisationPath.Parse(await db.Members.Where(m => m.Id == memberId).Select(m => m.Organisation!.Path).SingleAsync(ct));

    private async Task<IReadOnlyList<LedgerLine>> LinesAsync(OrganisationScope scope, IQueryable<PointsEntry> query, CancellationToken ct)
    {
        var rows = await query.AsNoTracking().Select(e => new
        {
            e.Id, e.MemberId, MemberName = db.Members.Where(m => m.Id == e.MemberId).Select(m => m.Name).FirstOrDefault(),
            Branch = db.Members.Where(m => m.Id == e.MemberId).Select(m => m.Organisation!.Name).FirstOrDefault(),
            e.PointsRule!.Code, RuleName = e.PointsRule.Name, e.Points, e.Status, e.SourceKey, e.Note, e.Evidence, e.RequestedBy, e.DecidedBy, e.DecidedAt,
            e.DecisionNote, e.ReversesEntryId, ReversedBy = db.PointsEntries.Where(r => r.ReversesEntryId == e.Id).Select(r => (long?)r.Id).FirstOrDefault(), e.CreatedAt,
        }).ToListAsync(ct);
        return rows.Select(r => new LedgerLine(r.Id, r.MemberId, r.MemberName ?? "", r.Branch ?? "", r.Code, r.RuleName, r.Points, r.Status, r.SourceKey, r.Note,
            r.Evidence, r.RequestedBy, r.DecidedBy, r.DecidedAt, r.DecisionNote, r.ReversesEntryId, r.ReversedBy, r.CreatedAt)).ToList();
    }

    private static void RequireSuperAdmin(OrganisationScope scope)
    {
        if (!scope.IsSuperAdmin) throw new RuleViolation("scope", "积分规则和星级由超级管理员统一设置");
    }

    private static PointsRuleRow Row(PointsRule r) => new(r.Id, r.Code, r.Name, r.Points, r.DailyCap, r.NeedsApproval, r.Active);

    /// <summary>What a line is for, in words: the rule, and the source ("activity:7" → 活动 #7).</summary>
    public static string Explain(LedgerLine l)
    {
        var source = l.SourceKey.Split(':');
        var what = source[0] switch
        {
            "activity" => $"活动 #{source.ElementAtOrDefault(1)} 签到",
            "absence" => $"活动 #{source.ElementAtOrDefault(1)} 缺席",
            "quiz" => $"微党课 #{source.ElementAtOrDefault(1)} 答题",
            "lesson" => $"阅读微党课 #{source.ElementAtOrDefault(1)}",
            "task" => $"完成学习任务 #{source.ElementAtOrDefault(1)}",
            "reversal" => $"冲正记录 #{source.ElementAtOrDefault(1)}",
            "manual" => "人工申请",
            _ => l.SourceKey,
        };
        return l.Note is { Length: > 0 } note ? $"{what}：{note}" : what;
    }

    public static string StatusLabel(PointsEntryStatus s) => s switch
    {
        PointsEntryStatus.Approved => "已生效",
        PointsEntryStatus.PendingApproval => "待审核",
        PointsEntryStatus.Rejected => "已驳回",
        _ => s.ToString(),
    };
}
