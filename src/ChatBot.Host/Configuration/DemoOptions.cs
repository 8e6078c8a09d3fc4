namespace ChatBot.Host.Configuration;

public sealed class DemoOptions
{
    public const string SectionName = "Demo";

    /// <summary>
    /// Seed the demo committee, members and content into an empty database. Unset: only in the Development
    /// environment (<c>dotnet run</c> through launchSettings.json), never by default in Production, where it would
    /// put demo members, console users and binding codes into a real database.
    /// </summary>
    public bool? Seed { get; set; }

    public bool SeedsIn(IHostEnvironment environment) => Seed ?? environment.IsDevelopment();

    /// <summary>Password of the seeded <c>admin</c> user; empty: a random one is generated and printed once to the console (never to the log).</summary>
    public string AdminPassword { get; set; } = "";

    /// <summary>Password of the seeded branch secretary user; empty: random, printed once to the console.</summary>
    public string SecretaryPassword { get; set; } = "";
}
