using System.Globalization;

namespace ChatBot.Core.Domain;

/// <summary>
/// The materialised path of an organisation in the tree, "/1/4/9/": the ids from the root down to the node, each
/// followed by a slash. A subtree is every path that starts with the node's path, which both databases answer with
/// one prefix scan. This is the one place that builds, parses and compares paths.
/// </summary>
public readonly record struct OrganisationPath
{
    private OrganisationPath(string value) => Value = value;

    /// <summary>"/": above the committee; contains every organisation.</summary>
    public static OrganisationPath Root { get; } = new("/");

    public string Value => field ?? "/";

    public static OrganisationPath Parse(string? value)
    {
        if (string.IsNullOrEmpty(value) || value == "/") return Root;
        if (!value.StartsWith('/') || !value.EndsWith('/'))
            throw new FormatException($"Organisation path must look like /1/4/ (was '{value}').");
        foreach (var part in value.Split('/', StringSplitOptions.RemoveEmptyEntries))
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out _))
                throw new FormatException($"Organisation path must look like /1/4/ (was '{value}').");
        return new OrganisationPath(value);
    }

    /// <summary>The path of a child with <paramref name="id"/> under this node.</summary>
    public OrganisationPath Child(int id) => new(Value + id.ToString(CultureInfo.InvariantCulture) + "/");

    /// <summary>Whether <paramref name="other"/> is this node or below it.</summary>
    public bool Contains(OrganisationPath other) => other.Value.StartsWith(Value, StringComparison.Ordinal);

    public bool Contains(string otherPath) => otherPath.StartsWith(Value, StringComparison.Ordinal);

    /// <summary>"/1/4/9/" → [1, 4, 9]: the organisation and all its ancestors, root first.</summary>
    public IReadOnlyList<int> AncestorIds =>
        Value.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(p => int.Parse(p, CultureInfo.InvariantCulture)).ToList();

    /// <summary>The node's own id; null for <see cref="Root"/>.</summary>
    public int? Id => AncestorIds is { Count: > 0 } ids ? ids[^1] : null;

    /// <summary>Depth below the root: the committee is 1.</summary>
    public int Depth => AncestorIds.Count;

    /// <summary>
    /// This node's subtree moved under <paramref name="newParent"/>: the path a descendant <paramref name="descendant"/>
    /// gets when this node moves (used to rewrite a moved subtree).
    /// </summary>
    public OrganisationPath Rebase(OrganisationPath descendant, OrganisationPath newParent)
    {
        if (!Contains(descendant)) throw new ArgumentException("Not in this subtree.", nameof(descendant));
        var ownId = Id ?? throw new InvalidOperationException("The root cannot move.");
        return new OrganisationPath(newParent.Child(ownId).Value + descendant.Value[Value.Length..]);
    }

    public override string ToString() => Value;
}
