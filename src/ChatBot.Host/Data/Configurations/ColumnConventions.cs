using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ChatBot.Host.Data.Configurations;

/// <summary>Column shapes shared by the entity configurations.</summary>
internal static class ColumnConventions
{
    public const int EnumLength = 32;
    public const int NameLength = 100;
    public const int TitleLength = 200;

    /// <summary>Enums are stored by name: readable in SQL and stable if members are ever reordered.</summary>
    public static PropertyBuilder<TEnum> StoredAsName<TEnum>(this PropertyBuilder<TEnum> property)
        where TEnum : struct, Enum =>
        property.HasConversion<string>().HasMaxLength(EnumLength);
}
