namespace ChatBot.Host.Configuration;

public sealed class DemoOptions
{
    public const string SectionName = "Demo";

    /// <summary>Seed the demo committee, members and content into an empty database.</summary>
    public bool Seed { get; set; } = true;
}
