using System.Globalization;
using ChatBot.Core.Domain;
using ChatBot.Host.Configuration;
using ChatBot.Host.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ChatBot.Host.Commands;

/// <summary>
/// What <c>admin create</c> and <c>apikey create</c> share: <c>&lt;name&gt; [--role admin|secretary]
/// [--organisation &lt;id&gt;]</c> plus options of their own, and bringing the configured database up to date first.
/// </summary>
internal sealed record ScopedAccountArguments(string Name, AdminRole Role, int? OrganisationId, IReadOnlyDictionary<string, string> Extra)
{
    /// <summary>The arguments, or the message to print (usage or the option that is wrong).</summary>
    public static (ScopedAccountArguments? Arguments, string? Error) Parse(string[] args, string usage, params string[] extraOptions)
    {
        if (args.Length < 1 || args[0].StartsWith('-'))
            return (null, usage);
        var role = AdminRole.Admin;
        int? organisationId = null;
        var extra = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 1; i < args.Length; i++)
        {
            var option = args[i].ToLowerInvariant();
            var value = i + 1 < args.Length ? args[i + 1] : null;
            switch (option)
            {
                case "--role" when value is "admin" or "secretary":
                    role = value == "admin" ? AdminRole.Admin : AdminRole.Secretary;
                    break;
                case "--organisation" or "--organization" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var id):
                    organisationId = id;
                    break;
                case var own when value is not null && extraOptions.Contains(own):
                    extra[own] = value;
                    break;
                default:
                    return (null, $"Unknown or incomplete option '{args[i]}'.\n{usage}");
            }
            i++;
        }
        return (new ScopedAccountArguments(args[0], role, organisationId, extra), null);
    }

    /// <summary>The command runs instead of the server, so the migrations the server would apply at start are applied here.</summary>
    public static async Task MigrateAsync(IServiceProvider scoped, ChatBotDbContext db, CancellationToken ct)
    {
        if (scoped.GetRequiredService<IOptions<DatabaseOptions>>().Value.ParsedProvider == DatabaseProvider.Sqlite)
            DatabaseInitializer.EnsureSqliteFolder(db.Database.GetConnectionString() ?? "");
        await db.Database.MigrateAsync(ct);
    }
}
