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
    }
}
