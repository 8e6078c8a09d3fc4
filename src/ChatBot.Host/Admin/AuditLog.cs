using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using ChatBot.Core.Domain;
using ChatBot.Host.Data;

namespace ChatBot.Host.Admin;

/// <summary>Action names written to <see cref="AuditEntry.Action"/>; pages add their own in the same dotted style.</summary>
public static class AuditActions
{
    public const string SignIn = "signin";
    public const string SignInFailed = "signin.failed";
    public const string SignInLockout = "signin.lockout";
    public const string SignOut = "signout";
    public const string AccountCreate = "account.create";
    public const string AccountDisable = "account.disable";
    public const string AccountEnable = "account.enable";
    public const string AccountPasswordReset = "account.password-reset";
    public const string BindingConfirm = "binding.confirm";
    public const string BindingReject = "binding.reject";
}

/// <summary>
/// Writes the audit log. <see cref="Record"/> only adds the entry to the request's <see cref="ChatBotDbContext"/>: the
/// caller's own <c>SaveChangesAsync</c> stores it together with the change it describes, so there is never a change
/// without its entry nor an entry for a change that failed.
/// </summary>
public sealed class AuditLog(ChatBotDbContext db, TimeProvider time, IServiceProvider services)
{
    private static readonly JsonSerializerOptions Json = new()
    {
        // Readable Chinese in the stored JSON (the audit page shows it as is; it is HTML-encoded when rendered).
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
        WriteIndented = false,
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };

    public const int MaxJsonLength = 16_000;

    /// <summary>An entry by the signed-in user or API key of this request (<see cref="OrganisationScope.Actor"/>).</summary>
    public AuditEntry Record(string action, string entityType, object? entityId, OrganisationPath organisation,
        object? before = null, object? after = null, string? detail = null) =>
        RecordAs(services.GetRequiredService<OrganisationScope>().Actor, action, entityType, entityId, organisation, before, after, detail);

    /// <summary>An entry by a named actor: sign-in attempts (no scope yet), the command line, start-up.</summary>
    public AuditEntry RecordAs(string actor, string action, string? entityType, object? entityId, OrganisationPath organisation,
        object? before = null, object? after = null, string? detail = null)
    {
        var entry = new AuditEntry
        {
            At = time.GetUtcNow().UtcDateTime,
            Actor = Truncate(actor, 100),
            Action = action,
            EntityType = entityType,
            EntityId = entityId is null ? null : Truncate(Convert.ToString(entityId, System.Globalization.CultureInfo.InvariantCulture) ?? "", 64),
            OrganisationPath = organisation.Value,
            Before = ToJson(before),
            After = ToJson(after),
            Detail = detail is null ? null : Truncate(detail, 4000),
        };
        db.AuditEntries.Add(entry);
        return entry;
    }

    public static string? ToJson(object? value) => value switch
    {
        null => null,
        string s => Truncate(s, MaxJsonLength),
        _ => Truncate(JsonSerializer.Serialize(value, value.GetType(), Json), MaxJsonLength),
    };

    private static string Truncate(string value, int length) => value.Length <= length ? value : value[..length];
}
