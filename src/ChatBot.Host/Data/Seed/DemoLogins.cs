using System.Collections.Concurrent;

namespace ChatBot.Host.Data.Seed;

public sealed record DemoLogin(string UserName, string Password, string Role);

/// <summary>
/// Hands the generated demo passwords from the seeder (which runs before the server listens) to the startup banner,
/// which prints them once next to the console address and then forgets them.
/// </summary>
public sealed class DemoLogins
{
    private readonly ConcurrentQueue<DemoLogin> _pending = new();

    public void Add(IEnumerable<DemoLogin> logins)
    {
        foreach (var login in logins) _pending.Enqueue(login);
    }

    /// <summary>Returns the logins not yet shown and forgets them.</summary>
    public IReadOnlyList<DemoLogin> TakeAll()
    {
        var taken = new List<DemoLogin>();
        while (_pending.TryDequeue(out var login)) taken.Add(login);
        return taken;
    }
}
