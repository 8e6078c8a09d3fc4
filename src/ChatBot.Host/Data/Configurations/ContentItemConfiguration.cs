using ChatBot.Core.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ChatBot.Host.Data.Configurations;

internal sealed class ContentItemConfiguration : IEntityTypeConfiguration<ContentItem>
{
    public void Configure(EntityTypeBuilder<ContentItem> builder)
    {
        builder.ToTable("ContentItems");
        builder.Property(c => c.Kind).StoredAsName();
        builder.Property(c => c.Status).StoredAsName();
        builder.Property(c => c.Title).HasMaxLength(ColumnConventions.TitleLength);
        builder.Property(c => c.Summary).HasMaxLength(1000);
        builder.Property(c => c.Keywords).HasMaxLength(500);
        builder.Property(c => c.Tags).HasMaxLength(ContentItem.MaxTagsLength);
        builder.Property(c => c.AuthorName).HasMaxLength(ColumnConventions.NameLength);
        builder.Property(c => c.LastEditedBy).HasMaxLength(ColumnConventions.NameLength);
        builder.Property(c => c.SubmittedBy).HasMaxLength(ColumnConventions.NameLength);
        builder.Property(c => c.ReviewedBy).HasMaxLength(ColumnConventions.NameLength);
        builder.Property(c => c.ArchivedBy).HasMaxLength(ColumnConventions.NameLength);
        builder.Property(c => c.ReviewComment).HasMaxLength(ContentItem.MaxCommentLength);
        // "Published lessons", "policies in review": every list filters on both.
        builder.HasIndex(c => new { c.Kind, c.Status });
        builder.HasOne<Organisation>().WithMany().HasForeignKey(c => c.OrganisationId).OnDelete(DeleteBehavior.Restrict);
        builder.HasMany(c => c.Questions).WithOne().HasForeignKey(q => q.ContentItemId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(c => c.Attachments).WithOne().HasForeignKey(a => a.ContentItemId).OnDelete(DeleteBehavior.Cascade);
    }
}
