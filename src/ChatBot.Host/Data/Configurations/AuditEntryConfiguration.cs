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
        builder.Property(a => a.OrganisationPath).HasMaxLength(400);
        builder.HasIndex(a => a.At);
        // The audit page of a secretary is "OrganisationPath LIKE '/1/3/%' ORDER BY At DESC".
        builder.HasIndex(a => new { a.OrganisationPath, a.At });
    }
}
