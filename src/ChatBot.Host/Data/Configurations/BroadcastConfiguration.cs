using ChatBot.Core.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ChatBot.Host.Data.Configurations;

internal sealed class BroadcastConfiguration : IEntityTypeConfiguration<Broadcast>
{
    public void Configure(EntityTypeBuilder<Broadcast> builder)
    {
        builder.ToTable("Broadcasts");
        builder.Property(b => b.Title).HasMaxLength(ColumnConventions.TitleLength);
        builder.Property(b => b.Body).HasMaxLength(4000);
        builder.Property(b => b.Status).StoredAsName();
        builder.Property(b => b.Cron).HasMaxLength(100);
        builder.Property(b => b.CreatedBy).HasMaxLength(ColumnConventions.NameLength);
        builder.HasOne<Organisation>().WithMany().HasForeignKey(b => b.OrganisationId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<ContentItem>().WithMany().HasForeignKey(b => b.ContentItemId).OnDelete(DeleteBehavior.SetNull);
        builder.HasIndex(b => new { b.Status, b.ScheduledAt });
    }
}
