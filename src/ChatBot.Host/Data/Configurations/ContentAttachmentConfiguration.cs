using ChatBot.Core.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ChatBot.Host.Data.Configurations;

internal sealed class ContentAttachmentConfiguration : IEntityTypeConfiguration<ContentAttachment>
{
    public void Configure(EntityTypeBuilder<ContentAttachment> builder)
    {
        builder.ToTable("ContentAttachments");
        builder.Property(a => a.Title).HasMaxLength(ContentAttachment.MaxTitleLength);
        builder.Property(a => a.Url).HasMaxLength(ContentAttachment.MaxUrlLength);
        builder.HasIndex(a => new { a.ContentItemId, a.Order });
    }
}
