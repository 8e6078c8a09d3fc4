namespace ChatBot.Host.Data.Seed;

/// <summary>
/// Where the demo's generated passwords and binding codes are shown: the process's console, once, and not the
/// logging pipeline (whose files and collectors would keep them). Tests pass their own writer.
/// </summary>
public sealed class DemoSecretsConsole(TextWriter writer)
{
    public void WriteLine(string line)
    {
        lock (writer)
            writer.WriteLine(line);
    }
}
