using ChatBot.Channels.WeChat;
using ChatBot.Core.Conversation;
using Microsoft.Extensions.Options;

namespace ChatBot.Host.Commands;

/// <summary>
/// Publishes templates/menu.json as the account's custom menu after checking it against WeChat's limits and
/// the engine's menu keys, so a typo fails here with a clear message rather than as an errcode.
/// </summary>
internal sealed class PublishMenuCommand(IServiceProvider services, TextWriter output)
{
    public static string DefaultMenuPath => Path.Combine(AppContext.BaseDirectory, "templates", "menu.json");

    public async Task<int> RunAsync(string menuPath, CancellationToken ct)
    {
        if (services.GetService<IOptions<WeChatOptions>>() is not { } options || services.GetService<WeChatAccessTokenProvider>() is null)
            return await FailAsync("WeChat is not configured: set WeChat:Token, WeChat:AppId and WeChat:AppSecret (environment variables WeChat__Token, WeChat__AppId, WeChat__AppSecret).");
        try
        {
            _ = options.Value;
        }
        catch (OptionsValidationException ex)
        {
            return await FailAsync("WeChat configuration is invalid: " + string.Join("; ", ex.Failures));
        }

        if (!File.Exists(menuPath))
            return await FailAsync($"Menu file not found: {menuPath}");
        WeChatMenu menu;
        try
        {
            menu = await WeChatMenu.LoadAsync(menuPath, ct);
        }
        catch (System.Text.Json.JsonException ex)
        {
            return await FailAsync($"Menu file {menuPath} is not valid JSON: {ex.Message}");
        }

        var knownKeys = services.GetService<CommandTable>()?.MenuKeys.Keys.ToArray() ?? new CommandTable().MenuKeys.Keys.ToArray();
        var problems = WeChatMenuValidator.Validate(menu, knownKeys);
        if (problems.Count > 0)
            return await FailAsync($"Menu {menuPath} was not published:{Environment.NewLine}  - " + string.Join(Environment.NewLine + "  - ", problems));

        await using var scope = services.CreateAsyncScope();
        var api = scope.ServiceProvider.GetRequiredService<WeChatApiClient>();
        var outcome = await api.CreateMenuAsync(menu, ct);
        if (!outcome.IsSuccess)
            return await FailAsync($"Menu not published: {outcome.Status} (errcode {outcome.ErrorCode}: {outcome.ErrorMessage}).");

        await output.WriteLineAsync($"Menu published: {menu.Buttons.Count} buttons, {menu.ClickKeys().Count()} click keys, from {menuPath}.");
        return 0;
    }

    private async Task<int> FailAsync(string message)
    {
        await output.WriteLineAsync(message);
        return 1;
    }
}
