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
        builder.Property(k => k.Role).StoredAsName();
        builder.Property(k => k.CreatedBy).HasMaxLength(100);
        builder.HasOne<Organisation>().WithMany().HasForeignKey(k => k.OrganisationId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class IdempotencyRecordConfiguration : IEntityTypeConfiguration<IdempotencyRecord>
{
    public void Configure(EntityTypeBuilder<IdempotencyRecord> builder)
    {
        builder.ToTable("IdempotencyRecords");
        builder.Property(r => r.Caller).HasMaxLength(120);
        builder.Property(r => r.Key).HasMaxLength(200);
        builder.Property(r => r.RequestHash).HasMaxLength(64);
        builder.Property(r => r.ContentType).HasMaxLength(200);
        builder.Property(r => r.Location).HasMaxLength(1000);
        // One first answer per caller and key, across every instance: the insert of a second one fails.
        builder.HasIndex(r => new { r.Caller, r.Key }).IsUnique();
        builder.HasIndex(r => r.ExpiresAt);
    }
}

internal sealed class MemberImportJobConfiguration : IEntityTypeConfiguration<MemberImportJob>
{
    public void Configure(EntityTypeBuilder<MemberImportJob> builder)
    {
        builder.ToTable("MemberImportJobs");
        builder.Property(j => j.Actor).HasMaxLength(100);
        builder.Property(j => j.Role).StoredAsName();
        builder.Property(j => j.OrganisationPath).HasMaxLength(400);
        builder.Property(j => j.State).StoredAsName();
    }
}
