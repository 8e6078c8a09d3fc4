using System.Security.Cryptography;
using ChatBot.Core.Domain;
using ChatBot.Host.Admin;
using ChatBot.Host.Data;
using ChatBot.Host.Ledger;
using Microsoft.EntityFrameworkCore;

namespace ChatBot.Host.Members;

public sealed record BindingCodeRow(int Id, int MemberId, string MemberName, string Branch, string Code, DateTime ExpiresAt, DateTime? UsedAt, bool Usable);

/// <summary>
/// One-time binding codes (绑定 &lt;码&gt;) for members in scope. The codes follow the rules of the 绑定 command:
/// 4–12 letters or digits, matched upper-case, one use, until they expire. Issuing a new code for a member expires
/// the member's earlier unused codes, so only one code per member is ever valid.
/// </summary>
public sealed class BindingCodeService(ChatBotDbContext db, AuditLog audit, TimeProvider time)
{
    /// <summary>No 0/O, 1/I/L: codes are read off paper by older members and typed on a phone.</summary>
    private const string Alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
    public const int CodeLength = 8;
    public const int DefaultValidDays = 14;
    public const int MaxValidDays = 90;

    /// <summary>Codes for members in scope; <paramref name="organisationId"/> narrows to a branch subtree, <paramref name="memberId"/> to one member.</summary>
    public async Task<IReadOnlyList<BindingCodeRow>> ListAsync(OrganisationScope scope, int? organisationId, int? memberId, bool usableOnly, CancellationToken ct = default)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var members = MembersIn(scope, organisationId);
        if (memberId is { } id) members = members.Where(m => m.Id == id);
        var query = db.BindingCodes.AsNoTracking().Where(c => members.Any(m => m.Id == c.MemberId));
        if (usableOnly) query = query.Where(c => c.UsedAt == null && c.ExpiresAt > now);
        var rows = await query
            .OrderBy(c => c.Member!.Organisation!.Name).ThenBy(c => c.Member!.Name).ThenByDescending(c => c.CreatedAt)
            .Select(c => new { c.Id, c.MemberId, c.Member!.Name, Branch = c.Member.Organisation!.Name, c.Code, c.ExpiresAt, c.UsedAt })
            .ToListAsync(ct);
        return rows.Select(r => new BindingCodeRow(r.Id, r.MemberId, r.Name, r.Branch, r.Code, r.ExpiresAt, r.UsedAt, r.UsedAt is null && r.ExpiresAt > now)).ToList();
    }

    /// <summary>A fresh code for one member in scope; null when the member is not in scope.</summary>
    public async Task<BindingCode?> IssueForMemberAsync(OrganisationScope scope, int memberId, int validDays, CancellationToken ct = default)
    {
        var member = await db.Members.WithinScope(scope).Where(m => m.Id == memberId && !m.Archived)
            .Select(m => new { m.Id, m.Organisation!.Path }).SingleOrDefaultAsync(ct);
        if (member is null) return null;
        var codes = await IssueAsync(scope, [member.Id], validDays, member.Path, ct);
        return codes.Single();
    }

    /// <summary>
    /// Codes for every member of a branch subtree in scope who has no bound account yet (those already bound need none).
    /// Null when the branch is not in scope.
    /// </summary>
    public async Task<IReadOnlyList<BindingCode>?> IssueForBranchAsync(OrganisationScope scope, int organisationId, int validDays, CancellationToken ct = default)
    {
        var path = await db.Organisations.WithinScope(scope).Where(o => o.Id == organisationId).Select(o => o.Path).SingleOrDefaultAsync(ct);
        if (path is null) return null;
        var ids = await MembersIn(scope, organisationId)
            .Where(m => !m.Archived && !db.ChannelIdentities.Any(i => i.MemberId == m.Id && i.State == BindingState.Bound))
            .Select(m => m.Id).ToListAsync(ct);
        return ids.Count == 0 ? [] : await IssueAsync(scope, ids, validDays, path, ct);
    }

    /// <summary>Ends an unused code now; null when the code is not for a member in scope.</summary>
    public async Task<BindingCode?> ExpireAsync(OrganisationScope scope, int codeId, CancellationToken ct = default)
    {
        var members = db.Members.WithinScope(scope);
        var code = await db.BindingCodes.Include(c => c.Member!.Organisation).Where(c => c.Id == codeId && members.Any(m => m.Id == c.MemberId)).SingleOrDefaultAsync(ct);
        if (code is null) return null;
        var now = time.GetUtcNow().UtcDateTime;
        if (code.UsedAt is not null || code.ExpiresAt <= now) return code;
        var before = code.ExpiresAt;
        code.ExpiresAt = now;
        audit.RecordAs(scope.Actor, "binding-code.expire", nameof(BindingCode), code.Id, code.Member!.Organisation!.Path, new { ExpiresAt = before }, new { ExpiresAt = now });
        await db.SaveChangesAsync(ct);
        return code;
    }

    private IQueryable<Member> MembersIn(OrganisationScope scope, int? organisationId)
    {
        var members = db.Members.WithinScope(scope);
        if (organisationId is not { } orgId) return members;
        var path = db.Organisations.WithinScope(scope).Where(o => o.Id == orgId).Select(o => o.Path);
        return members.Where(m => path.Any(p => m.Organisation!.Path.StartsWith(p)));
    }

    private async Task<IReadOnlyList<BindingCode>> IssueAsync(OrganisationScope scope, IReadOnlyList<int> memberIds, int validDays, string auditPath, CancellationToken ct)
    {
        if (validDays is < 1 or > MaxValidDays) throw new LedgerRuleException($"有效期应为 1 到 {MaxValidDays} 天。");
        var now = time.GetUtcNow().UtcDateTime;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // Earlier unused codes stop working: a reprinted sheet must not leave the old one valid as well.
        var earlier = await db.BindingCodes.Where(c => memberIds.Contains(c.MemberId) && c.UsedAt == null && c.ExpiresAt > now).ToListAsync(ct);
        foreach (var c in earlier) c.ExpiresAt = now;

        var taken = new HashSet<string>(StringComparer.Ordinal);
        var codes = new List<BindingCode>();
        foreach (var memberId in memberIds)
        {
            string text;
            do text = NewCode();
            while (!taken.Add(text) || await db.BindingCodes.AnyAsync(c => c.Code == text, ct));
            codes.Add(new BindingCode { Code = text, MemberId = memberId, ExpiresAt = now.AddDays(validDays), CreatedAt = now });
        }
        db.BindingCodes.AddRange(codes);
        await db.SaveChangesAsync(ct);
        audit.RecordAs(scope.Actor, "binding-code.issue", nameof(BindingCode), codes.Count == 1 ? codes[0].Id : null, auditPath,
            new { Expired = earlier.Count }, new { Members = memberIds.Count, ValidDays = validDays, ExpiresAt = now.AddDays(validDays) });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return codes;
    }

    private static string NewCode() => RandomNumberGenerator.GetString(Alphabet, CodeLength);
}
