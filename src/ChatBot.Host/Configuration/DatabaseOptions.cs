using Microsoft.Extensions.Options;

namespace ChatBot.Host.Configuration;

public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}

public sealed class DatabaseOptions
{
    public const string SectionName = "Database";

    /// <summary>Sqlite (embedded default) or Postgres. Kept as text so a bad value is reported, not thrown by the binder.</summary>
    public string Provider { get; set; } = nameof(DatabaseProvider.Sqlite);

    /// <summary>Empty with Sqlite means <c>Data Source=data/chatbot.db</c>; required with Postgres.</summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>
    /// SQLite only: Full (default; every commit reaches the disk before it returns, so no claim or settle of the outbox
    /// is lost to a power cut) or Normal (faster commits; a crashed process loses nothing, a power cut may lose the
    /// last commits). The database runs in write-ahead-log mode either way.
    /// </summary>
    public string SqliteSynchronous { get; set; } = "Full";

    public DatabaseProvider ParsedProvider =>
        Enum.TryParse<DatabaseProvider>(Provider, ignoreCase: true, out var p) ? p : throw new InvalidOperationException(
            $"{SectionName}:{nameof(Provider)} must be Sqlite or Postgres (was '{Provider}').");

    public const string DefaultSqliteConnectionString = "Data Source=data/chatbot.db";

    public string EffectiveConnectionString =>
        string.IsNullOrWhiteSpace(ConnectionString) && ParsedProvider == DatabaseProvider.Sqlite
            ? DefaultSqliteConnectionString
            : ConnectionString;
}

public sealed class DatabaseOptionsValidator : IValidateOptions<DatabaseOptions>
{
    public ValidateOptionsResult Validate(string? name, DatabaseOptions options)
    {
        if (!Enum.TryParse<DatabaseProvider>(options.Provider, ignoreCase: true, out var provider) || int.TryParse(options.Provider, out _))
            return ValidateOptionsResult.Fail($"{DatabaseOptions.SectionName}:Provider must be Sqlite or Postgres (was '{options.Provider}').");
        if (!string.Equals(options.SqliteSynchronous, "Full", StringComparison.OrdinalIgnoreCase)
            && !string.Equals(options.SqliteSynchronous, "Normal", StringComparison.OrdinalIgnoreCase))
            return ValidateOptionsResult.Fail($"{DatabaseOptions.SectionName}:SqliteSynchronous must be Full or Normal (was '{options.SqliteSynchronous}').");
        if (provider == DatabaseProvider.Postgres && string.IsNullOrWhiteSpace(options.ConnectionString))
            return ValidateOptionsResult.Fail($"{DatabaseOptions.SectionName}:ConnectionString is required when {DatabaseOptions.SectionName}:Provider is Postgres.");
        return ValidateOptionsResult.Success;
    }
}
