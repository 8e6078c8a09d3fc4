using ChatBot.Core.Domain;
using ChatBot.Host.Admin;
using ChatBot.Host.Data;
using ChatBot.Host.Ledger;
using Microsoft.EntityFrameworkCore;

namespace ChatBot.Host.Organisations;

public sealed record OrganisationNode(int Id, int? ParentId, string Name, OrganisationKind Kind, string Path, int Depth, int MemberCount);

/// <summary>
/// The organisation tree inside the signed-in admin's scope: list, add a child, rename (and change kind), move a
/// subtree. Every lookup goes through <see cref="ScopeQueries.WithinScope(IQueryable{Organisation}, OrganisationScope)"/>,
/// so an id outside the scope is simply not found.
/// </summary>
public sealed class OrganisationTreeService(ChatBotDbContext db, AuditLog audit, TimeProvider time)
{
    public const int MaxNameLength = 100;

    public async Task<IReadOnlyList<OrganisationNode>> ListAsync(OrganisationScope scope, CancellationToken ct = default)
    {
        var rows = await db.Organisations.AsNoTracking().WithinScope(scope)
            .Select(o => new { o.Id, o.ParentId, o.Name, o.Kind, o.Path, Members = db.Members.Count(m => m.OrganisationId == o.Id && !m.Archived) })
            .ToListAsync(ct);
        // Tree order: parents before children, siblings by name; sorted here because path strings do not sort numerically.
        var byParent = rows.ToLookup(r => r.ParentId);
        var ids = rows.Select(r => r.Id).ToHashSet();
        var result = new List<OrganisationNode>();
        void Walk(int? parentId, int depth)
        {
            foreach (var r in byParent[parentId].OrderBy(r => r.Name, StringComparer.Ordinal))
            {
                result.Add(new OrganisationNode(r.Id, r.ParentId, r.Name, r.Kind, r.Path, depth, r.Members));
                Walk(r.Id, depth + 1);
            }
        }
        // Roots of the visible forest: nodes whose parent is outside the scope (or none).
        foreach (var root in rows.Where(r => r.ParentId is null || !ids.Contains(r.ParentId.Value)).OrderBy(r => r.Path.Length).ThenBy(r => r.Name, StringComparer.Ordinal))
        {
            result.Add(new OrganisationNode(root.Id, root.ParentId, root.Name, root.Kind, root.Path, 0, root.Members));
            Walk(root.Id, 1);
        }
        return result;
    }

    public Task<Organisation?> FindAsync(OrganisationScope scope, int id, CancellationToken ct = default) =>
        db.Organisations.WithinScope(scope).SingleOrDefaultAsync(o => o.Id == id, ct);

    public async Task<Organisation?> AddChildAsync(OrganisationScope scope, int parentId, string name, OrganisationKind kind, CancellationToken ct = default)
    {
        var parent = await FindAsync(scope, parentId, ct);
        if (parent is null) return null;
        name = RequireName(name);
        if (kind == OrganisationKind.Committee)
            throw new LedgerRuleException("党委只能是组织树的根，下级组织请选择支部类型。");
        if (!Enum.IsDefined(kind)) throw new LedgerRuleException("组织类型无效。");

        var now = time.GetUtcNow().UtcDateTime;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var child = new Organisation { Name = name, Kind = kind, ParentId = parent.Id, CreatedAt = now };
        db.Organisations.Add(child);
        await db.SaveChangesAsync(ct);
        // The path holds the node's own id, which exists only after the insert.
        child.Path = parent.TreePath.Child(child.Id).Value;
        audit.RecordAs(scope.Actor, "organisation.create", nameof(Organisation), child.Id, child.Path, null,
            new { child.Name, Kind = LedgerLabels.Kind(kind), Parent = parent.Name, child.Path });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return child;
    }

    public async Task<Organisation?> UpdateAsync(OrganisationScope scope, int id, string name, OrganisationKind kind, CancellationToken ct = default)
    {
        var org = await FindAsync(scope, id, ct);
        if (org is null) return null;
        name = RequireName(name);
        if (!Enum.IsDefined(kind)) throw new LedgerRuleException("组织类型无效。");
        if ((org.ParentId is null) != (kind == OrganisationKind.Committee))
            throw new LedgerRuleException(org.ParentId is null ? "组织树的根必须是党委。" : "下级组织不能设为党委类型。");
        if (org.Name == name && org.Kind == kind) return org;

        var before = new { org.Name, Kind = LedgerLabels.Kind(org.Kind) };
        org.Name = name;
        org.Kind = kind;
        audit.RecordAs(scope.Actor, "organisation.update", nameof(Organisation), org.Id, org.Path, before,
            new { org.Name, Kind = LedgerLabels.Kind(org.Kind) });
        await db.SaveChangesAsync(ct);
        return org;
    }

    /// <summary>
    /// Moves <paramref name="id"/> and its subtree under <paramref name="newParentId"/>, rewriting every path in the
    /// subtree in one transaction. Refused: the root, the admin's own scope root (it would leave the scope), a new
    /// parent outside the scope (not found), and a new parent inside the moved subtree (a cycle).
    /// </summary>
    public async Task<Organisation?> MoveAsync(OrganisationScope scope, int id, int newParentId, CancellationToken ct = default)
    {
        var org = await FindAsync(scope, id, ct);
        var newParent = await FindAsync(scope, newParentId, ct);
        if (org is null || newParent is null) return null;
        if (org.ParentId is null)
            throw new LedgerRuleException("党委是组织树的根，不能移动。");
        if (!scope.IsSuperAdmin && org.TreePath == scope.Root)
            throw new LedgerRuleException("不能移动自己管理范围的根组织。");
        if (org.TreePath.Contains(newParent.TreePath))
            throw new LedgerRuleException("不能把组织移到它自己或它的下级组织之下。");
        if (org.ParentId == newParent.Id) return org;

        var oldPath = org.TreePath;
        var oldParentName = await db.Organisations.Where(o => o.Id == org.ParentId).Select(o => o.Name).SingleAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var subtree = await db.Organisations.Where(o => o.Path.StartsWith(oldPath.Value)).ToListAsync(ct);
        foreach (var node in subtree)
            node.Path = oldPath.Rebase(node.TreePath, newParent.TreePath).Value;
        org.ParentId = newParent.Id;
        audit.RecordAs(scope.Actor, "organisation.move", nameof(Organisation), org.Id, org.Path,
            new { Parent = oldParentName, Path = oldPath.Value }, new { Parent = newParent.Name, org.Path, Subtree = subtree.Count });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return org;
    }

    private static string RequireName(string? name)
    {
        var trimmed = (name ?? "").Trim();
        if (trimmed.Length == 0) throw new LedgerRuleException("请填写组织名称。");
        if (trimmed.Length > MaxNameLength) throw new LedgerRuleException($"组织名称不能超过 {MaxNameLength} 个字。");
        return trimmed;
    }
}
