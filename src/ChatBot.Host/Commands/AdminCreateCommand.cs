using System.Globalization;
using System.Text;
using ChatBot.Core.Domain;
using ChatBot.Host.Admin;
using ChatBot.Host.Configuration;
using ChatBot.Host.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ChatBot.Host.Commands;

/// <summary>
/// <c>admin create &lt;name&gt; [--role admin|secretary] [--organisation &lt;id&gt;] [--display-name &lt;text&gt;]</c>: creates a
/// console account. The password is read from standard input when it is redirected (<c>echo … | dotnet run …</c>),
/// otherwise asked twice without echo; it never appears on the command line, where shell history and ps would show it.
/// </summary>
internal sealed class AdminCreateCommand(IServiceProvider services, TextWriter output, TextReader? input)
{
    public const string Usage = "Usage: ChatBot.Host admin create <name> [--role admin|secretary] [--organisation <id>] [--display-name <text>]";

    public async Task<int> RunAsync(string[] args, CancellationToken ct)
    {
        var (parsed, problem) = ScopedAccountArguments.Parse(args, Usage, "--display-name");
        if (parsed is null)
        {
            await output.WriteLineAsync(problem);
            return 1;
        }
        var (userName, role, organisationId) = (parsed.Name, parsed.Role, parsed.OrganisationId);
        var displayName = parsed.Extra.GetValueOrDefault("--display-name");
        if (AdminAccounts.ValidateUserName(userName) is { } nameError)
        {
            await output.WriteLineAsync(nameError);
            return 1;
        }

        var password = ReadPassword();
        if (password is null)
        {
            await output.WriteLineAsync("No password given (standard input was empty, or the two entries differ).");
            return 1;
        }

        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ChatBotDbContext>();
        await ScopedAccountArguments.MigrateAsync(scope.ServiceProvider, db, ct);

        var result = await scope.ServiceProvider.GetRequiredService<AdminAccounts>()
            .CreateAsync("cli", userName, displayName, role, organisationId, password, ct);
        if (!result.Succeeded)
        {
            await output.WriteLineAsync(result.Error);
            return 1;
        }
        await output.WriteLineAsync($"Created {ConsoleAuth.RoleLabel(role)} '{result.User!.UserName}' (organisation #{result.User.OrganisationId}). Sign in at /admin/login.");
        return 0;
    }

    private string? ReadPassword()
    {
        if (input is not null || Console.IsInputRedirected)
        {
            var line = (input ?? Console.In).ReadLine();
            return string.IsNullOrEmpty(line) ? null : line;
        }
        var first = Prompt("Password (at least 10 characters): ");
        var second = Prompt("Repeat the password: ");
        return first.Length > 0 && first == second ? first : null;
    }

    private string Prompt(string text)
    {
        output.Write(text);
        var buffer = new StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter) break;
            if (key.Key == ConsoleKey.Backspace)
            {
                if (buffer.Length > 0) buffer.Length--;
                continue;
            }
            if (!char.IsControl(key.KeyChar)) buffer.Append(key.KeyChar);
        }
        output.WriteLine();
        return buffer.ToString();
    }
}
