namespace ChatBot.Host.Configuration;

public sealed class DemoOptions
{
    public const string SectionName = "Demo";

    /// <summary>Seed the demo committee, members and content into an empty database.</summary>
    public bool Seed { get; set; } = true;

    /// <summary>Password of the seeded <c>admin</c> user; empty: a random one is generated and logged once at seed time.</summary>
    public string AdminPassword { get; set; } = "";

    /// <summary>Password of the seeded branch secretary user; empty: random, logged once at seed time.</summary>
    public string SecretaryPassword { get; set; } = "";
}
