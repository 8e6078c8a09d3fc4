using ChatBot.Core.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ChatBot.Host.Data.Configurations;

internal sealed class ActivityConfiguration : IEntityTypeConfiguration<Activity>
{
    public void Configure(EntityTypeBuilder<Activity> builder)
    {
        builder.ToTable("Activities");
        builder.Property(a => a.Kind).StoredAsName();
        builder.Property(a => a.Title).HasMaxLength(ColumnConventions.TitleLength);
        builder.Property(a => a.Description).HasMaxLength(4000);
        builder.Property(a => a.Location).HasMaxLength(ColumnConventions.TitleLength);
        builder.Property(a => a.CheckInCode).HasMaxLength(16);
        builder.HasOne(a => a.Organisation).WithMany().HasForeignKey(a => a.OrganisationId).OnDelete(DeleteBehavior.Restrict);
        // "Upcoming activities" and reminders scan by start time.
        builder.HasIndex(a => a.StartsAt);
    }
}
