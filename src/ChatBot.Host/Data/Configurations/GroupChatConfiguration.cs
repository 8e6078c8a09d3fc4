using ChatBot.Core.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ChatBot.Host.Data.Configurations;

internal sealed class GroupChatConfiguration : IEntityTypeConfiguration<GroupChat>
{
    public void Configure(EntityTypeBuilder<GroupChat> builder)
    {
        builder.ToTable("GroupChats");
        builder.Property(g => g.Channel).StoredAsName();
        builder.Property(g => g.Name).HasMaxLength(ColumnConventions.TitleLength);
        // Data-protection payloads are several times longer than the plain webhook URL.
        builder.Property(g => g.WebhookUrlProtected).HasMaxLength(4000);
        builder.Property(g => g.SecretProtected).HasMaxLength(2000);
        builder.Property(g => g.ConversationId).HasMaxLength(128);
        builder.Property(g => g.BrokenReason).HasMaxLength(500);
        builder.HasOne(g => g.Organisation).WithMany().HasForeignKey(g => g.OrganisationId).OnDelete(DeleteBehavior.Restrict);
        // Group @-messages are mapped to their branch by conversation id.
        builder.HasIndex(g => g.ConversationId);
    }
}
