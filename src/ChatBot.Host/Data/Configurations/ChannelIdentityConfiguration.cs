using ChatBot.Core.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ChatBot.Host.Data.Configurations;

internal sealed class ChannelIdentityConfiguration : IEntityTypeConfiguration<ChannelIdentity>
{
    public void Configure(EntityTypeBuilder<ChannelIdentity> builder)
    {
        builder.ToTable("ChannelIdentities");
        builder.Property(i => i.Channel).StoredAsName();
        builder.Property(i => i.ExternalId).HasMaxLength(128);
        builder.Property(i => i.State).StoredAsName();
        // One row per platform account, so the first message of a new account can't create two identities.
        builder.HasIndex(i => new { i.Channel, i.ExternalId }).IsUnique();
        // One bound account per member and channel, enforced by the database: two binding confirmations racing
        // (code, or a secretary confirming) both pass the "already taken?" read, and only this index stops the second.
        builder.HasIndex(i => new { i.MemberId, i.Channel })
            .IsUnique()
            .HasFilter("\"State\" = 'Bound'")
            .HasDatabaseName("IX_ChannelIdentities_MemberId_Channel_Bound");
        builder.HasOne(i => i.Member).WithMany().HasForeignKey(i => i.MemberId).OnDelete(DeleteBehavior.SetNull);
    }
}
