using ChatBot.Core.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ChatBot.Host.Data.Configurations;

internal sealed class PointsEntryConfiguration : IEntityTypeConfiguration<PointsEntry>
{
    public void Configure(EntityTypeBuilder<PointsEntry> builder)
    {
        builder.ToTable("PointsEntries");
        builder.Property(e => e.SourceKey).HasMaxLength(200);
        builder.Property(e => e.Status).StoredAsName();
        builder.Property(e => e.Note).HasMaxLength(500);
        builder.Property(e => e.Evidence).HasMaxLength(500);
        builder.Property(e => e.RequestedBy).HasMaxLength(100);
        builder.Property(e => e.DecidedBy).HasMaxLength(100);
        builder.Property(e => e.DecisionNote).HasMaxLength(500);
        // The approvals queue lists pending lines oldest first.
        builder.HasIndex(e => new { e.Status, e.CreatedAt });
        // A retried message or job cannot credit the same source twice.
        builder.HasIndex(e => new { e.MemberId, e.PointsRuleId, e.SourceKey }).IsUnique();
        // Daily caps sum a member's credits under one rule since local midnight.
        builder.HasIndex(e => new { e.MemberId, e.PointsRuleId, e.CreatedAt });
        builder.HasOne<Member>().WithMany().HasForeignKey(e => e.MemberId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(e => e.PointsRule).WithMany().HasForeignKey(e => e.PointsRuleId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<PointsEntry>().WithMany().HasForeignKey(e => e.ReversesEntryId).OnDelete(DeleteBehavior.Restrict);
    }
}
