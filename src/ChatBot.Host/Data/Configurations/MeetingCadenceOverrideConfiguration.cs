using ChatBot.Core.Cadence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ChatBot.Host.Data.Configurations;

internal sealed class MeetingCadenceOverrideConfiguration : IEntityTypeConfiguration<MeetingCadenceOverride>
{
    public void Configure(EntityTypeBuilder<MeetingCadenceOverride> builder)
    {
        builder.ToTable("MeetingCadenceOverrides");
        builder.Property(o => o.Kind).StoredAsName();
        builder.Property(o => o.Frequency).StoredAsName();
        builder.HasOne(o => o.Organisation).WithMany().HasForeignKey(o => o.OrganisationId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(o => new { o.OrganisationId, o.Kind }).IsUnique();
    }
}
