using ChatBot.Core.Domain;
using ChatBot.Host.Admin;

namespace ChatBot.Host.Ledger;

/// <summary>A change an admin asked for that the rules refuse; the message is shown on the page as it is.</summary>
public sealed class LedgerRuleException(string message) : Exception(message);

/// <summary>
/// Audit helpers for the ledger services. Entries go through <see cref="AuditLog"/>, which adds them to the request's
/// DbContext so they are saved (or rolled back) with the change itself. Phone numbers in before/after are masked.
/// </summary>
public static class LedgerAudit
{
    /// <summary>An entry filed under the organisation with materialised path <paramref name="organisationPath"/>.</summary>
    public static AuditEntry RecordAs(this AuditLog audit, string actor, string action, string entityType, object? entityId,
        string organisationPath, object? before, object? after) =>
        audit.RecordAs(actor, action, entityType, entityId, OrganisationPath.Parse(organisationPath), before, after);

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
