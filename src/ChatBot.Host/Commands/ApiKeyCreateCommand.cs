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
        if (args.Length < 1 || args[0].StartsWith('-'))
        {
            await errors.WriteLineAsync(Usage);
            return 1;
        }
        var name = args[0];
        var role = AdminRole.Admin;
        int? organisationId = null;
        for (var i = 1; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i].ToLowerInvariant())
            {
                case "--role" when value is "admin" or "secretary":
                    role = value == "admin" ? AdminRole.Admin : AdminRole.Secretary;
                    i++;
                    break;
                case "--organisation" or "--organization" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var id):
                    organisationId = id;
                    i++;
                    break;
                default:
                    await errors.WriteLineAsync($"Unknown or incomplete option '{args[i]}'.");
                    await errors.WriteLineAsync(Usage);
                    return 1;
            }
        }

        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ChatBotDbContext>();
        // The command runs instead of the server, so the migrations the server would apply at start are applied here.
        if (scope.ServiceProvider.GetRequiredService<IOptions<DatabaseOptions>>().Value.ParsedProvider == DatabaseProvider.Sqlite)
            DatabaseInitializer.EnsureSqliteFolder(db.Database.GetConnectionString() ?? "");
        await db.Database.MigrateAsync(ct);

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
