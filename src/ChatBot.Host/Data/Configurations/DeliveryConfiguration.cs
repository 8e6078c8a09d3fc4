using ChatBot.Core.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ChatBot.Host.Data.Configurations;
using Delivery = ChatBot.Core.Domain.Delivery;


internal sealed class DeliveryConfiguration : IEntityTypeConfiguration<Delivery>
{
    public void Configure(EntityTypeBuilder<Delivery> builder)
    {
        builder.ToTable("Deliveries");
        builder.Property(d => d.IdempotencyKey).HasMaxLength(200);
        builder.Property(d => d.Route).StoredAsName();
        builder.Property(d => d.Status).StoredAsName();
        builder.Property(d => d.SkipReason).HasMaxLength(200);
        builder.Property(d => d.LastError).HasMaxLength(2000);
        builder.Property(d => d.PlatformMessageId).HasMaxLength(128);
        builder.Property(d => d.ClaimedBy).HasMaxLength(64);
        // The outbox guarantee: a recipient gets a given message at most once, however often the job runs.
        builder.HasIndex(d => d.IdempotencyKey).IsUnique();
        // Delivery workers poll for pending rows whose next attempt is due.
        builder.HasIndex(d => new { d.Status, d.NextAttemptAt });
        // Broadcast reports count a run's rows by status; pause/resume/cancel update a run's pending rows.
        builder.HasIndex(d => new { d.BroadcastRunId, d.Status });
        // The weekly budget and the monthly mass-send quota count a member's recent rows.
        builder.HasIndex(d => new { d.MemberId, d.CreatedAt });
        builder.HasOne<BroadcastRun>().WithMany().HasForeignKey(d => d.BroadcastRunId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Member>().WithMany().HasForeignKey(d => d.MemberId).OnDelete(DeleteBehavior.SetNull);
        builder.HasOne<GroupChat>().WithMany().HasForeignKey(d => d.GroupChatId).OnDelete(DeleteBehavior.SetNull);
        builder.HasOne<ChannelIdentity>().WithMany().HasForeignKey(d => d.ChannelIdentityId).OnDelete(DeleteBehavior.SetNull);
    }
}
