namespace ChatBot.Host.Commands;

/// <summary>
/// One-shot commands run instead of the web host: <c>dotnet run --project src/ChatBot.Host -- wechat publish-menu</c>,
/// <c>… -- admin create &lt;name&gt;</c>. They use the host's configuration and services but start no server, and exit 0
/// on success, 1 otherwise.
/// </summary>
public static class HostCommands
{
    private const string Usage = "Usage: ChatBot.Host wechat publish-menu [path/to/menu.json]\n       " + AdminCreateCommand.Usage + "\n       " + ApiKeyCreateCommand.Usage;

    public static bool IsHostCommand(string[] args) =>
        args.Length > 0 && (string.Equals(args[0], "wechat", StringComparison.OrdinalIgnoreCase)
            || string.Equals(args[0], "admin", StringComparison.OrdinalIgnoreCase)
            || string.Equals(args[0], "apikey", StringComparison.OrdinalIgnoreCase));

    /// <param name="input">Where <c>admin create</c> reads the password; null: standard input (or a no-echo prompt on a terminal).</param>
    /// <param name="errors">Where <c>apikey create</c> writes its messages (standard output carries only the key); null: standard error.</param>
    public static async Task<int> RunAsync(WebApplication app, string[] args, TextWriter? output = null, TextReader? input = null, TextWriter? errors = null)
    {
        ArgumentNullException.ThrowIfNull(app);
        output ??= Console.Out;
        if (string.Equals(args[0], "wechat", StringComparison.OrdinalIgnoreCase)
            && args.Length >= 2 && string.Equals(args[1], "publish-menu", StringComparison.OrdinalIgnoreCase))
        {
            var path = args.Length >= 3 && !args[2].StartsWith('-') ? args[2] : PublishMenuCommand.DefaultMenuPath;
            using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            return await new PublishMenuCommand(app.Services, output).RunAsync(path, cancel.Token);
        }
        if (string.Equals(args[0], "admin", StringComparison.OrdinalIgnoreCase)
            && args.Length >= 2 && string.Equals(args[1], "create", StringComparison.OrdinalIgnoreCase))
        {
            using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(5));
            return await new AdminCreateCommand(app.Services, output, input).RunAsync(args[2..], cancel.Token);
        }
        if (string.Equals(args[0], "apikey", StringComparison.OrdinalIgnoreCase)
            && args.Length >= 2 && string.Equals(args[1], "create", StringComparison.OrdinalIgnoreCase))
        {
            using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(5));
            return await new ApiKeyCreateCommand(app.Services, output, errors ?? Console.Error).RunAsync(args[2..], cancel.Token);
        }
        await output.WriteLineAsync(Usage);
        return 1;
    }
}
