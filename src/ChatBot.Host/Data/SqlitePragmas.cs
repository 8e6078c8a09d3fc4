using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace ChatBot.Host.Data;

/// <summary>
/// Sets the embedded database up for many small write transactions (the outbox claims and settles one row per
/// statement): write-ahead logging, so readers do not block the writer and a commit appends to one file instead of
/// rewriting a rollback journal (one fsync instead of several), and <c>synchronous</c> as configured
/// (<c>Database:SqliteSynchronous</c>: Full keeps every committed claim and settle through a power cut, which is
/// what makes "never sent twice" hold then; Normal is faster and still safe for a crashed process, but a power cut
/// may lose the last commits). journal_mode=WAL is persistent and a no-op once set; synchronous is per connection.
/// </summary>
internal sealed class SqlitePragmas(string synchronous) : DbConnectionInterceptor
{
    private readonly string _sql = $"PRAGMA journal_mode=WAL; PRAGMA synchronous={synchronous};";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = _sql;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = _sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
