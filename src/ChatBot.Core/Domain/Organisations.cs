namespace ChatBot.Core.Domain;

/// <summary>Kinds of party organisation seen in 小个专 work; the committee is the root of the tree.</summary>
public enum OrganisationKind
{
    Committee = 0,
    EnterpriseBranch = 1,
    JointBranch = 2,
    MarketBranch = 3,
    AssociationBranch = 4,
    CentralBranch = 5,
}

/// <summary>
/// A node of the organisation tree. <see cref="Path"/> is a materialised path ("/1/4/") so a subtree is one
/// prefix query on either database, which is what secretary scoping and audience expansion need.
/// </summary>
public class Organisation
{
    public int Id { get; set; }
    public int? ParentId { get; set; }
    public Organisation? Parent { get; set; }
    public required string Name { get; set; }
    public OrganisationKind Kind { get; set; }
    public string Path { get; set; } = "/";
    /// <summary>Whether group progress replies may name members who are still pending (off by default: no public shaming).</summary>
    public bool ShowPendingNamesInGroup { get; set; }
    public DateTime CreatedAt { get; set; }

    public OrganisationPath TreePath => OrganisationPath.Parse(Path);

    public bool IsInSubtreeOf(Organisation ancestor) => ancestor.TreePath.Contains(TreePath);
}
