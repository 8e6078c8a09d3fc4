using ChatBot.Core.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ChatBot.Host.Data.Configurations;

internal sealed class MemberConfiguration : IEntityTypeConfiguration<Member>
{
    public void Configure(EntityTypeBuilder<Member> builder)
    {
        builder.ToTable("Members");
        builder.Property(m => m.Name).HasMaxLength(ColumnConventions.NameLength);
        builder.Property(m => m.Status).StoredAsName();
        builder.Property(m => m.BusinessName).HasMaxLength(ColumnConventions.TitleLength);
        builder.Property(m => m.Phone).HasMaxLength(20);
        builder.HasOne(m => m.Organisation).WithMany().HasForeignKey(m => m.OrganisationId).OnDelete(DeleteBehavior.Restrict);
        // Binding by name + phone looks members up by phone.
        builder.HasIndex(m => m.Phone);
    }
}
