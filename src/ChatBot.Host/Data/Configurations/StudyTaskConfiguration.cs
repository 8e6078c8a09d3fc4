using ChatBot.Core.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ChatBot.Host.Data.Configurations;

internal sealed class StudyTaskConfiguration : IEntityTypeConfiguration<StudyTask>
{
    public void Configure(EntityTypeBuilder<StudyTask> builder)
    {
        builder.ToTable("StudyTasks");
        builder.Property(t => t.Title).HasMaxLength(ColumnConventions.TitleLength);
        builder.HasOne<Organisation>().WithMany().HasForeignKey(t => t.OrganisationId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(t => t.ContentItem).WithMany().HasForeignKey(t => t.ContentItemId).OnDelete(DeleteBehavior.Restrict);
        // Reminder jobs look for tasks due soon.
        builder.HasIndex(t => t.DueAt);
    }
}
