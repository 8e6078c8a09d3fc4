using System.Text.Encodings.Web;
using System.Text.Json;
using ChatBot.Core.Domain;
using ChatBot.Host.Admin;
using ChatBot.Host.Data;

namespace ChatBot.Host.Ledger;

/// <summary>A change an admin asked for that the rules refuse; the message is shown on the page as it is.</summary>
public sealed class LedgerRuleException(string message) : Exception(message);

/// <summary>
/// Writes one audit entry for a console change into the same DbContext, so it is saved (or rolled back) with the
/// change itself. Before/after are small JSON snapshots; phone numbers in them are masked (never logged in full).
/// </summary>
public static class LedgerAudit
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static void Record(ChatBotDbContext db, OrganisationScope scope, DateTime nowUtc, string action, string entityType,
        object? entityId, string organisationPath, object? before, object? after)
    {
        _ = organisationPath; // stored once the audit entry has its own column (console-auth)
        db.AuditEntries.Add(new AuditEntry
        {
            At = nowUtc,
            Actor = scope.Actor,
            Action = action,
            EntityType = entityType,
            EntityId = entityId?.ToString(),
            Detail = JsonSerializer.Serialize(new { before, after }, Json),
        });
    }

    /// <summary>The deepest organisation containing both paths: where a transfer between two branches is filed.</summary>
    public static string CommonAncestor(string a, string b)
    {
        var x = OrganisationPath.Parse(a).AncestorIds;
        var y = OrganisationPath.Parse(b).AncestorIds;
        var path = OrganisationPath.Root;
        for (var i = 0; i < Math.Min(x.Count, y.Count) && x[i] == y[i]; i++) path = path.Child(x[i]);
        return path.Value;
    }
}
