using ChatBot.Core.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ChatBot.Host.Data.Configurations;

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> builder)
    {
        builder.ToTable("AuditEntries");
        builder.Property(a => a.Actor).HasMaxLength(ColumnConventions.NameLength);
        builder.Property(a => a.Action).HasMaxLength(ColumnConventions.NameLength);
        builder.Property(a => a.EntityType).HasMaxLength(ColumnConventions.NameLength);
        builder.Property(a => a.EntityId).HasMaxLength(64);
        builder.Property(a => a.Detail).HasMaxLength(4000);
        builder.HasIndex(a => a.At);
    }
}
