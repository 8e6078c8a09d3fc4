using ChatBot.Core.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ChatBot.Host.Data.Configurations;

internal sealed class StarLevelConfiguration : IEntityTypeConfiguration<StarLevel>
{
    public void Configure(EntityTypeBuilder<StarLevel> builder)
    {
        builder.ToTable("StarLevels");
        builder.Property(l => l.Name).HasMaxLength(50);
        builder.Property(l => l.RuleCodes).HasMaxLength(500);
        builder.HasIndex(l => l.Name).IsUnique();
    }
}
