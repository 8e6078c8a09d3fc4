using ChatBot.Core.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ChatBot.Host.Data.Configurations;

internal sealed class SignUpConfiguration : IEntityTypeConfiguration<SignUp>
{
    public void Configure(EntityTypeBuilder<SignUp> builder)
    {
        builder.ToTable("SignUps");
        builder.Property(s => s.Status).StoredAsName();
        builder.HasIndex(s => new { s.ActivityId, s.MemberId }).IsUnique();
        // Two members racing for the last place: the second insert of the same seat is refused by the database.
        // Waitlisted and cancelled rows hold no seat, hence the filter (same SQL on SQLite and PostgreSQL).
        builder.HasIndex(s => new { s.ActivityId, s.Seat })
            .IsUnique()
            .HasFilter("\"Seat\" IS NOT NULL")
            .HasDatabaseName("IX_SignUps_ActivityId_Seat");
        builder.HasOne(s => s.Activity).WithMany().HasForeignKey(s => s.ActivityId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(s => s.Member).WithMany().HasForeignKey(s => s.MemberId).OnDelete(DeleteBehavior.Restrict);
    }
}
