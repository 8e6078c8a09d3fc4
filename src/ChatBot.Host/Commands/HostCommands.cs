namespace ChatBot.Host.Commands;

/// <summary>
/// One-shot commands run instead of the web host: <c>dotnet run --project src/ChatBot.Host -- wechat publish-menu</c>.
/// They use the host's configuration and services but start no server, and exit 0 on success, 1 otherwise.
/// </summary>
public static class HostCommands
{
    private const string Usage = "Usage: ChatBot.Host wechat publish-menu [path/to/menu.json]";

    public static bool IsHostCommand(string[] args) =>
        args.Length > 0 && string.Equals(args[0], "wechat", StringComparison.OrdinalIgnoreCase);

    public static async Task<int> RunAsync(WebApplication app, string[] args, TextWriter? output = null)
    {
        ArgumentNullException.ThrowIfNull(app);
        output ??= Console.Out;
        if (args.Length >= 2 && string.Equals(args[1], "publish-menu", StringComparison.OrdinalIgnoreCase))
        {
            var path = args.Length >= 3 && !args[2].StartsWith('-') ? args[2] : PublishMenuCommand.DefaultMenuPath;
            using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            return await new PublishMenuCommand(app.Services, output).RunAsync(path, cancel.Token);
        }
        await output.WriteLineAsync(Usage);
        return 1;
    }
}
