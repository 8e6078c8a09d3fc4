using System.Text.RegularExpressions;
using ChatBot.Core.Domain;
using ChatBot.Host.Admin;
using ChatBot.Host.Data;
using ChatBot.Host.Ledger;
using Microsoft.EntityFrameworkCore;

namespace ChatBot.Host.Members;

/// <summary>The member list's search and filters, as the page's query string carries them.</summary>
public sealed record MemberFilter
{
    /// <summary>Part of the name, or digits of the phone number.</summary>
    public string? Search { get; init; }
    /// <summary>A branch in scope: the list shows it and its subtree. Outside the scope the list is empty.</summary>
    public int? OrganisationId { get; init; }
    public MemberStatus? Status { get; init; }
    public bool? Mobile { get; init; }
    /// <summary>True: has a bound account on some channel; false: none.</summary>
    public bool? Bound { get; init; }
    public bool IncludeArchived { get; init; }
}

public sealed record MemberRow(
    int Id, string Name, string Phone, MemberStatus Status, bool IsMobile, string? BusinessName,
    int OrganisationId, string OrganisationName, bool Bound, bool Archived);

public sealed record MemberPage(IReadOnlyList<MemberRow> Rows, int Total, int Page, int PageSize)
{
    public int PageCount => Math.Max(1, (Total + PageSize - 1) / PageSize);
}

/// <summary>What an admin enters for a member.</summary>
public sealed record MemberInput
{
    public string Name { get; init; } = "";
    public string? Phone { get; init; }
    public MemberStatus Status { get; init; }
    public bool IsMobile { get; init; }
    public string? BusinessName { get; init; }
}

/// <summary>
/// The 党员 ledger within the signed-in admin's scope: search, add, edit, archive, and 组织关系转接 between branches.
/// Phones leave this service only through <see cref="OrganisationScope.ShowPhone"/>.
/// </summary>
public sealed partial class MemberLedgerService(ChatBotDbContext db, AuditLog audit, TimeProvider time)
{
    public const int PageSize = 20;

    public IQueryable<Member> Query(OrganisationScope scope, MemberFilter filter)
    {
        var query = db.Members.AsNoTracking().WithinScope(scope);
        if (!filter.IncludeArchived) query = query.Where(m => !m.Archived);
        if (filter.OrganisationId is { } orgId)
        {
            // Looked up within scope: a branch outside it yields no path and so no rows.
            var path = db.Organisations.WithinScope(scope).Where(o => o.Id == orgId).Select(o => o.Path);
            query = query.Where(m => path.Any(p => m.Organisation!.Path.StartsWith(p)));
        }
        if (filter.Status is { } status) query = query.Where(m => m.Status == status);
        if (filter.Mobile is { } mobile) query = query.Where(m => m.IsMobile == mobile);
        if (filter.Bound is { } bound)
            query = bound
                ? query.Where(m => db.ChannelIdentities.Any(i => i.MemberId == m.Id && i.State == BindingState.Bound))
                : query.Where(m => !db.ChannelIdentities.Any(i => i.MemberId == m.Id && i.State == BindingState.Bound));
        var search = filter.Search?.Trim();
        if (!string.IsNullOrEmpty(search))
            query = DigitsPattern().IsMatch(search)
                ? query.Where(m => m.Phone != null && m.Phone.Contains(search))
                : query.Where(m => m.Name.Contains(search) || (m.BusinessName != null && m.BusinessName.Contains(search)));
        return query;
    }

    public async Task<MemberPage> SearchAsync(OrganisationScope scope, MemberFilter filter, int page, CancellationToken ct = default)
    {
        var query = Query(scope, filter);
        var total = await query.CountAsync(ct);
        page = Math.Clamp(page, 1, Math.Max(1, (total + PageSize - 1) / PageSize));
        var rows = await Project(scope, query.OrderBy(m => m.Organisation!.Name).ThenBy(m => m.Name).ThenBy(m => m.Id)
            .Skip((page - 1) * PageSize).Take(PageSize), ct);
        return new MemberPage(rows, total, page, PageSize);
    }

    /// <summary>One page of the filtered list (API paging: no clamping, an empty page past the end), with the total.</summary>
    public async Task<(IReadOnlyList<MemberRow> Rows, int Total)> PageAsync(OrganisationScope scope, MemberFilter filter, int skip, int take, CancellationToken ct = default)
    {
        var query = Query(scope, filter);
        var total = await query.CountAsync(ct);
        var rows = await Project(scope, query.OrderBy(m => m.Organisation!.Name).ThenBy(m => m.Name).ThenBy(m => m.Id).Skip(skip).Take(take), ct);
        return (rows, total);
    }

    public async Task<IReadOnlyList<MemberRow>> ListAllAsync(OrganisationScope scope, MemberFilter filter, CancellationToken ct = default) =>
        await Project(scope, Query(scope, filter).OrderBy(m => m.Organisation!.Name).ThenBy(m => m.Name).ThenBy(m => m.Id), ct);

    private async Task<IReadOnlyList<MemberRow>> Project(OrganisationScope scope, IQueryable<Member> query, CancellationToken ct)
    {
        var rows = await query.Select(m => new
        {
            m.Id, m.Name, m.Phone, m.Status, m.IsMobile, m.BusinessName, m.OrganisationId, OrganisationName = m.Organisation!.Name,
            Bound = db.ChannelIdentities.Any(i => i.MemberId == m.Id && i.State == BindingState.Bound), m.Archived,
        }).ToListAsync(ct);
        return rows.Select(r => new MemberRow(r.Id, r.Name, scope.ShowPhone(r.Phone), r.Status, r.IsMobile, r.BusinessName,
            r.OrganisationId, r.OrganisationName, r.Bound, r.Archived)).ToList();
    }

    public async Task<MemberRow?> GetAsync(OrganisationScope scope, int id, CancellationToken ct = default) =>
        (await Project(scope, db.Members.AsNoTracking().WithinScope(scope).Where(m => m.Id == id), ct)).SingleOrDefault();

    /// <summary>Branches a member can belong to (every organisation in scope but the committee).</summary>
    public async Task<IReadOnlyList<(int Id, string Name)>> BranchesAsync(OrganisationScope scope, CancellationToken ct = default) =>
        (await db.Organisations.AsNoTracking().WithinScope(scope).Where(o => o.Kind != OrganisationKind.Committee)
            .OrderBy(o => o.Name).Select(o => new { o.Id, o.Name }).ToListAsync(ct))
        .Select(o => (o.Id, o.Name)).ToList();

    public async Task<Member?> CreateAsync(OrganisationScope scope, int organisationId, MemberInput input, CancellationToken ct = default)
    {
        var branch = await BranchInScopeAsync(scope, organisationId, ct);
        if (branch is null) return null;
        var clean = Validate(input);
        await RequirePhoneFreeAsync(clean.Phone, null, ct);
        var now = time.GetUtcNow().UtcDateTime;
        var member = new Member
        {
            OrganisationId = branch.Id, Name = clean.Name, Phone = clean.Phone, Status = clean.Status, IsMobile = clean.IsMobile,
            BusinessName = clean.BusinessName, CreatedAt = now,
        };
        db.Members.Add(member);
        await db.SaveChangesAsync(ct);
        audit.RecordAs(scope.Actor, "member.create", nameof(Member), member.Id, branch.Path, null, Snapshot(member, branch.Name));
        await db.SaveChangesAsync(ct);
        return member;
    }

    public async Task<Member?> UpdateAsync(OrganisationScope scope, int id, MemberInput input, CancellationToken ct = default)
    {
        var member = await db.Members.WithinScope(scope).Include(m => m.Organisation).SingleOrDefaultAsync(m => m.Id == id, ct);
        if (member is null) return null;
        // A secretary sees a masked phone; submitting the mask back (or nothing) keeps the stored number.
        var keepPhone = !scope.IsSuperAdmin && (input.Phone is null || input.Phone.Trim() == PhoneMask.Mask(member.Phone));
        var clean = Validate(keepPhone ? input with { Phone = member.Phone } : input);
        var phone = clean.Phone;
        if (phone != member.Phone) await RequirePhoneFreeAsync(phone, member.Id, ct);
        var unchanged = member.Name == clean.Name && member.Phone == phone && member.Status == clean.Status
            && member.IsMobile == clean.IsMobile && member.BusinessName == clean.BusinessName;
        if (unchanged) return member;
        var before = Snapshot(member, member.Organisation!.Name);
        member.Name = clean.Name;
        member.Phone = phone;
        member.Status = clean.Status;
        member.IsMobile = clean.IsMobile;
        member.BusinessName = clean.BusinessName;
        var after = Snapshot(member, member.Organisation.Name);
        audit.RecordAs(scope.Actor, "member.update", nameof(Member), member.Id, member.Organisation.Path, before, after);
        await db.SaveChangesAsync(ct);
        return member;
    }

    public async Task<Member?> SetArchivedAsync(OrganisationScope scope, int id, bool archived, CancellationToken ct = default)
    {
        var member = await db.Members.WithinScope(scope).Include(m => m.Organisation).SingleOrDefaultAsync(m => m.Id == id, ct);
        if (member is null) return null;
        if (member.Archived == archived) return member;
        member.Archived = archived;
        audit.RecordAs(scope.Actor, archived ? "member.archive" : "member.restore", nameof(Member), member.Id, member.Organisation!.Path,
            new { Archived = !archived }, new { Archived = archived });
        await db.SaveChangesAsync(ct);
        return member;
    }

    /// <summary>
    /// 组织关系转接: moves the member to another branch in scope. Bound accounts, points and history stay with the
    /// member; open study assignments too (they belong to the member, not to the branch).
    /// </summary>
    public async Task<Member?> TransferAsync(OrganisationScope scope, int id, int targetOrganisationId, string? note, CancellationToken ct = default)
    {
        var member = await db.Members.WithinScope(scope).Include(m => m.Organisation).SingleOrDefaultAsync(m => m.Id == id, ct);
        var target = await BranchInScopeAsync(scope, targetOrganisationId, ct);
        if (member is null || target is null) return null;
        if (member.OrganisationId == target.Id)
            throw new LedgerRuleException("该党员已在这个支部，无需转接。");
        var from = member.Organisation!;
        member.OrganisationId = target.Id;
        member.Organisation = target;
        audit.RecordAs(scope.Actor, "member.transfer", nameof(Member), member.Id, LedgerAudit.CommonAncestor(from.Path, target.Path),
            new { OrganisationId = from.Id, Organisation = from.Name },
            new { OrganisationId = target.Id, Organisation = target.Name, Note = string.IsNullOrWhiteSpace(note) ? null : note.Trim() });
        await db.SaveChangesAsync(ct);
        return member;
    }

    private async Task<Organisation?> BranchInScopeAsync(OrganisationScope scope, int organisationId, CancellationToken ct)
    {
        var org = await db.Organisations.WithinScope(scope).SingleOrDefaultAsync(o => o.Id == organisationId, ct);
        if (org?.Kind == OrganisationKind.Committee)
            throw new LedgerRuleException("党员须隶属于党支部，请选择一个支部。");
        return org;
    }

    private async Task RequirePhoneFreeAsync(string? phone, int? exceptId, CancellationToken ct)
    {
        if (phone is null) return;
        // Phones are unique across the whole ledger (name + phone binding relies on it), so this check is not scoped.
        if (await db.Members.AnyAsync(m => m.Phone == phone && m.Id != exceptId, ct))
            throw new LedgerRuleException("这个手机号已登记在另一名党员名下。");
    }

    internal static MemberInput Validate(MemberInput input)
    {
        var name = (input.Name ?? "").Trim();
        if (name.Length == 0) throw new LedgerRuleException("请填写姓名。");
        if (name.Length > 50) throw new LedgerRuleException("姓名不能超过 50 个字。");
        var phone = NormalisePhone(input.Phone);
        if (phone is not null && !IsValidPhone(phone)) throw new LedgerRuleException("手机号应为 11 位数字，以 1 开头。");
        if (!Enum.IsDefined(input.Status)) throw new LedgerRuleException("党员类别无效。");
        var business = string.IsNullOrWhiteSpace(input.BusinessName) ? null : input.BusinessName.Trim();
        if (business?.Length > 200) throw new LedgerRuleException("经营户名称不能超过 200 个字。");
        return input with { Name = name, Phone = phone, BusinessName = business };
    }

    internal static string? NormalisePhone(string? phone)
    {
        var p = (phone ?? "").Trim().Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);
        if (p.StartsWith("+86", StringComparison.Ordinal)) p = p[3..];
        return p.Length == 0 ? null : p;
    }

    internal static bool IsValidPhone(string phone) => PhonePattern().IsMatch(phone);

    private static object Snapshot(Member m, string organisation) => new MemberSnapshot(m.Name, PhoneMask.Mask(m.Phone),
        LedgerLabels.Status(m.Status), m.IsMobile, m.BusinessName, organisation);

    private sealed record MemberSnapshot(string Name, string Phone, string Status, bool IsMobile, string? BusinessName, string Organisation);

    [GeneratedRegex(@"^1\d{10}$")]
    private static partial Regex PhonePattern();

    [GeneratedRegex(@"^\d{3,11}$")]
    private static partial Regex DigitsPattern();
}
