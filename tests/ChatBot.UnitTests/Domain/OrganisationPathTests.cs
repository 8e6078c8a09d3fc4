using ChatBot.Core.Domain;

namespace ChatBot.UnitTests.Domain;

public class OrganisationPathTests
{
    [Fact]
    public void Child_AppendsId_AndContainsIsPrefixOnWholeSegments()
    {
        var committee = OrganisationPath.Root.Child(1);
        var branch = committee.Child(4);

        Assert.Equal("/1/", committee.Value);
        Assert.Equal("/1/4/", branch.Value);
        Assert.True(committee.Contains(branch));
        Assert.False(branch.Contains(committee));
        // "/1/4/" must not contain "/1/41/": the trailing slash keeps ids apart.
        Assert.False(branch.Contains(committee.Child(41)));
        Assert.True(OrganisationPath.Root.Contains(branch));
    }

    [Fact]
    public void Parse_ReadsAncestors_AndRejectsMalformedPaths()
    {
        var path = OrganisationPath.Parse("/1/4/9/");

        Assert.Equal([1, 4, 9], path.AncestorIds);
        Assert.Equal(9, path.Id);
        Assert.Null(OrganisationPath.Root.Id);
        Assert.Throws<FormatException>(() => OrganisationPath.Parse("1/4"));
        Assert.Throws<FormatException>(() => OrganisationPath.Parse("/1/x/"));
    }

    [Fact]
    public void Rebase_MovesADescendantUnderTheNewParent()
    {
        var moving = OrganisationPath.Parse("/1/4/");
        var descendant = OrganisationPath.Parse("/1/4/9/");

        Assert.Equal("/2/4/9/", moving.Rebase(descendant, OrganisationPath.Parse("/2/")).Value);
        Assert.Throws<ArgumentException>(() => moving.Rebase(OrganisationPath.Parse("/1/5/"), OrganisationPath.Parse("/2/")));
    }
}
