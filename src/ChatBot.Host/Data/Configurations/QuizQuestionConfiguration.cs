using ChatBot.Core.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ChatBot.Host.Data.Configurations;

internal sealed class QuizQuestionConfiguration : IEntityTypeConfiguration<QuizQuestion>
{
    public void Configure(EntityTypeBuilder<QuizQuestion> builder)
    {
        builder.ToTable("QuizQuestions");
        builder.Property(q => q.Text).HasMaxLength(1000);
        builder.Property(q => q.OptionA).HasMaxLength(ColumnConventions.TitleLength);
        builder.Property(q => q.OptionB).HasMaxLength(ColumnConventions.TitleLength);
        builder.Property(q => q.OptionC).HasMaxLength(ColumnConventions.TitleLength);
        builder.Property(q => q.OptionD).HasMaxLength(ColumnConventions.TitleLength);
        builder.Property(q => q.Kind).StoredAsName();
        // The right letters, "A".."ABCD": plain text on both providers.
        builder.Property(q => q.CorrectOptions).HasMaxLength(4);
        builder.Property(q => q.Explanation).HasMaxLength(2000);
        builder.HasIndex(q => new { q.ContentItemId, q.Order });
    }
}
