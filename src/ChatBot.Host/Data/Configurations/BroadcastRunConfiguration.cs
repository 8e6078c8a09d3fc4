using ChatBot.Core.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ChatBot.Host.Data.Configurations;

internal sealed class BroadcastRunConfiguration : IEntityTypeConfiguration<BroadcastRun>
{
    public void Configure(EntityTypeBuilder<BroadcastRun> builder)
    {
        builder.ToTable("BroadcastRuns");
        builder.Property(r => r.RunKey).HasMaxLength(200);
        builder.Property(r => r.Status).StoredAsName();
        // A schedule firing twice for the same slot (at-least-once jobs, several instances) yields one run.
        builder.HasIndex(r => r.RunKey).IsUnique();
        builder.HasOne<Broadcast>().WithMany().HasForeignKey(r => r.BroadcastId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<BroadcastRun>().WithMany().HasForeignKey(r => r.ResendOfRunId).OnDelete(DeleteBehavior.NoAction);
        // The scheduler's sweep looks for runs that are still being written or sent.
        builder.HasIndex(r => new { r.Status, r.EnqueuedAt });
        builder.HasOne<RecurringSchedule>().WithMany().HasForeignKey(r => r.RecurringScheduleId).OnDelete(DeleteBehavior.SetNull);
    }
}
