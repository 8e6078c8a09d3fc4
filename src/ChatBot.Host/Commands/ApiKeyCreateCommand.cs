using System.Globalization;
using ChatBot.Core.Domain;
using ChatBot.Host.Admin;
using ChatBot.Host.Configuration;
using ChatBot.Host.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ChatBot.Host.Commands;

/// <summary>
/// <c>apikey create &lt;name&gt; [--organisation &lt;id&gt;] [--role admin|secretary]</c>: creates an API key against the
/// configured database (for automation and first setup) and prints only the key on standard output, so
/// <c>KEY=$(dotnet run … -- apikey create ci)</c> works; messages go to standard error. Default role: admin (超级管理员).
/// </summary>
internal sealed class ApiKeyCreateCommand(IServiceProvider services, TextWriter output, TextWriter errors)
{
    public const string Usage = "Usage: ChatBot.Host apikey create <name> [--organisation <id>] [--role admin|secretary]";

    public async Task<int> RunAsync(string[] args, CancellationToken ct)
    {
        var (parsed, problem) = ScopedAccountArguments.Parse(args, Usage);
        if (parsed is null)
        {
            await errors.WriteLineAsync(problem);
            return 1;
        }
        var (name, role, organisationId) = (parsed.Name, parsed.Role, parsed.OrganisationId);

        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ChatBotDbContext>();
        await ScopedAccountArguments.MigrateAsync(scope.ServiceProvider, db, ct);

        var result = await scope.ServiceProvider.GetRequiredService<ApiKeyService>().CreateAsync(null, name, organisationId, role, ct);
        if (!result.Succeeded)
        {
            await errors.WriteLineAsync(result.Error);
            return 1;
        }
        var key = result.Created!.Key;
        await errors.WriteLineAsync($"Created API key '{key.Name}' ({ConsoleAuth.RoleLabel(role)}, organisation #{key.OrganisationId}, prefix {key.Prefix}). It is shown only now.");
        await output.WriteLineAsync(result.Created.Secret);
        return 0;
    }
}
