using ChatBot.Core.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ChatBot.Host.Data.Configurations;

internal sealed class PointsRuleConfiguration : IEntityTypeConfiguration<PointsRule>
{
    public void Configure(EntityTypeBuilder<PointsRule> builder)
    {
        builder.ToTable("PointsRules");
        builder.Property(r => r.Code).HasMaxLength(64);
        builder.Property(r => r.Name).HasMaxLength(ColumnConventions.NameLength);
        builder.HasIndex(r => r.Code).IsUnique();
    }
}
