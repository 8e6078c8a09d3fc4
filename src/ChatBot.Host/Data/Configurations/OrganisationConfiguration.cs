using ChatBot.Core.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ChatBot.Host.Data.Configurations;

internal sealed class OrganisationConfiguration : IEntityTypeConfiguration<Organisation>
{
    public void Configure(EntityTypeBuilder<Organisation> builder)
    {
        builder.ToTable("Organisations");
        builder.Property(o => o.Name).HasMaxLength(ColumnConventions.TitleLength);
        builder.Property(o => o.Kind).StoredAsName();
        builder.Property(o => o.Path).HasMaxLength(400);
        // Subtree queries are "Path LIKE '/1/3/%'", a prefix scan on this index.
        builder.HasIndex(o => o.Path);
        builder.Ignore(o => o.TreePath);
        // Branches are moved or archived, never deleted out from under their members.
        builder.HasOne(o => o.Parent).WithMany().HasForeignKey(o => o.ParentId).OnDelete(DeleteBehavior.Restrict);
    }
}
