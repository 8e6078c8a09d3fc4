using ChatBot.Core.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ChatBot.Host.Data.Configurations;

internal sealed class RecurringScheduleConfiguration : IEntityTypeConfiguration<RecurringSchedule>
{
    public void Configure(EntityTypeBuilder<RecurringSchedule> builder)
    {
        builder.ToTable("RecurringSchedules");
        builder.Property(s => s.Name).HasMaxLength(ColumnConventions.TitleLength);
        builder.Property(s => s.Kind).StoredAsName();
        builder.Property(s => s.Cron).HasMaxLength(100);
        builder.Property(s => s.Parameters).HasMaxLength(4000);
        builder.HasOne<Organisation>().WithMany().HasForeignKey(s => s.OrganisationId).OnDelete(DeleteBehavior.Restrict);
        // One schedule per kind and subtree root (null = the committee-wide default; enforced in code for null).
        builder.HasIndex(s => new { s.Kind, s.OrganisationId }).IsUnique();
    }
}

internal sealed class ScheduleRunConfiguration : IEntityTypeConfiguration<ScheduleRun>
{
    public void Configure(EntityTypeBuilder<ScheduleRun> builder)
    {
        builder.ToTable("ScheduleRuns");
        builder.Property(r => r.RunKey).HasMaxLength(200);
        builder.Property(r => r.Status).StoredAsName();
        builder.Property(r => r.Trigger).HasMaxLength(ColumnConventions.NameLength);
        builder.Property(r => r.Report).HasMaxLength(16000);
        builder.Property(r => r.Error).HasMaxLength(4000);
        // The slot guard: a second insert of the same schedule + slot fails, so a slot never runs twice.
        builder.HasIndex(r => r.RunKey).IsUnique();
        builder.HasIndex(r => new { r.ScheduleId, r.SlotAt });
        builder.HasOne<RecurringSchedule>().WithMany().HasForeignKey(r => r.ScheduleId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class LessonSeriesPositionConfiguration : IEntityTypeConfiguration<LessonSeriesPosition>
{
    public void Configure(EntityTypeBuilder<LessonSeriesPosition> builder)
    {
        builder.ToTable("LessonSeriesPositions");
        builder.Property(p => p.Series).HasMaxLength(ColumnConventions.NameLength);
        builder.HasIndex(p => new { p.MemberId, p.Series }).IsUnique();
        builder.HasOne<Member>().WithMany().HasForeignKey(p => p.MemberId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<ContentItem>().WithMany().HasForeignKey(p => p.LastContentItemId).OnDelete(DeleteBehavior.Cascade);
    }
}
