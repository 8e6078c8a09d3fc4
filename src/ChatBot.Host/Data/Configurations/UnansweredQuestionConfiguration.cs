using ChatBot.Core.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ChatBot.Host.Data.Configurations;

internal sealed class UnansweredQuestionConfiguration : IEntityTypeConfiguration<UnansweredQuestion>
{
    public void Configure(EntityTypeBuilder<UnansweredQuestion> builder)
    {
        builder.ToTable("UnansweredQuestions");
        builder.Property(q => q.Question).HasMaxLength(UnansweredQuestion.MaxQuestionLength);
        builder.Property(q => q.Offered).HasMaxLength(UnansweredQuestion.MaxOfferedLength);
        builder.Property(q => q.Channel).StoredAsName();
        builder.Property(q => q.Kind).StoredAsName();
        builder.Property(q => q.Status).StoredAsName();
        builder.Property(q => q.ResolvedBy).HasMaxLength(ColumnConventions.NameLength);
        // The admins' list: open ones, newest first.
        builder.HasIndex(q => new { q.Status, q.AskedAt });
        builder.HasOne<Organisation>().WithMany().HasForeignKey(q => q.OrganisationId).OnDelete(DeleteBehavior.SetNull);
        builder.HasOne<Member>().WithMany().HasForeignKey(q => q.MemberId).OnDelete(DeleteBehavior.SetNull);
    }
}
