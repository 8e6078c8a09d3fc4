using ChatBot.Core.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ChatBot.Host.Data.Configurations;

internal sealed class StudyAssignmentConfiguration : IEntityTypeConfiguration<StudyAssignment>
{
    public void Configure(EntityTypeBuilder<StudyAssignment> builder)
    {
        builder.ToTable("StudyAssignments");
        builder.Property(a => a.Status).StoredAsName();
        // Assigning a task again (a retried job) must not give a member a second copy.
        builder.HasIndex(a => new { a.StudyTaskId, a.MemberId }).IsUnique();
        builder.HasIndex(a => new { a.MemberId, a.Status });
        builder.HasOne(a => a.StudyTask).WithMany().HasForeignKey(a => a.StudyTaskId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(a => a.Member).WithMany().HasForeignKey(a => a.MemberId).OnDelete(DeleteBehavior.Restrict);
    }
}
