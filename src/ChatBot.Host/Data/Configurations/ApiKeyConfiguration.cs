using ChatBot.Core.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ChatBot.Host.Data.Configurations;

internal sealed class ApiKeyConfiguration : IEntityTypeConfiguration<ApiKey>
{
    public void Configure(EntityTypeBuilder<ApiKey> builder)
    {
        builder.ToTable("ApiKeys");
        builder.Property(k => k.Name).HasMaxLength(ColumnConventions.NameLength);
        // Hex SHA-256 is 64 characters; room left for a scheme prefix.
        builder.Property(k => k.KeyHash).HasMaxLength(128);
        builder.Property(k => k.Prefix).HasMaxLength(16);
        // Authentication looks a presented key up by its hash.
        builder.HasIndex(k => k.KeyHash).IsUnique();
        builder.HasOne<Organisation>().WithMany().HasForeignKey(k => k.OrganisationId).OnDelete(DeleteBehavior.Restrict);
    }
}
