using System.Text;
using ChatBot.Core.Domain;
using ChatBot.Host.Data;
using Microsoft.EntityFrameworkCore;

namespace ChatBot.Host.Delivery;

/// <summary>
/// Writes outbox rows with multi-row <c>INSERT … ON CONFLICT ("IdempotencyKey") DO NOTHING</c> (the same statement on
/// SQLite ≥ 3.24 and PostgreSQL), so a key that already exists — from an earlier call, another instance, or twice in
/// this batch — is silently left as it is and never costs the rest of the batch. The statement's row count is the
/// number of new rows. Then the sender is woken.
/// </summary>
public sealed class EfOutbox(IChatBotDbContextFactory dbs, OutboxSignal signal, TimeProvider time) : IOutbox
{
    /// <summary>Rows per statement: 12 parameters each stays far below SQLite's and PostgreSQL's parameter limits.</summary>
    internal const int RowsPerStatement = 500;
    public const int MaxIdempotencyKeyLength = 200;
    private const int MaxSkipReasonLength = 200;

    private const string Columns =
        "\"IdempotencyKey\", \"BroadcastRunId\", \"MemberId\", \"GroupChatId\", \"ChannelIdentityId\", \"Route\", \"Status\", " +
        "\"SkipReason\", \"Payload\", \"Attempts\", \"CreatedAt\", \"NextAttemptAt\"";
    private const int ParametersPerRow = 11;

    public async Task<int> EnqueueAsync(IReadOnlyList<OutboxItem> items, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(items);
        foreach (var item in items)
            Validate(item);
        if (items.Count == 0)
            return 0;

        var now = time.GetUtcNow().UtcDateTime;
        var inserted = 0;
        await using (var db = dbs.CreateDbContext())
        {
            for (var start = 0; start < items.Count; start += RowsPerStatement)
            {
                var chunk = items.Skip(start).Take(RowsPerStatement).ToList();
                var (sql, parameters) = BuildInsert(chunk, now);
                inserted += await db.Database.ExecuteSqlRawAsync(sql, parameters, ct);
            }
        }
        if (inserted > 0)
            signal.Wake();
        return inserted;
    }

    private static void Validate(OutboxItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (string.IsNullOrWhiteSpace(item.IdempotencyKey) || item.IdempotencyKey.Length > MaxIdempotencyKeyLength)
            throw new ArgumentException($"IdempotencyKey must be 1–{MaxIdempotencyKeyLength} characters.", nameof(item));
        ArgumentNullException.ThrowIfNull(item.Payload);
    }

    private static (string Sql, object[] Parameters) BuildInsert(List<OutboxItem> chunk, DateTime now)
    {
        var sql = new StringBuilder("INSERT INTO \"Deliveries\" (").Append(Columns).Append(") VALUES ");
        var parameters = new List<object>(chunk.Count * ParametersPerRow);
        for (var i = 0; i < chunk.Count; i++)
        {
            var item = chunk[i];
            if (i > 0) sql.Append(", ");
            var p = parameters.Count;
            sql.Append('(')
                .Append('{').Append(p).Append("}, ")
                .Append('{').Append(p + 1).Append("}, ")
                .Append('{').Append(p + 2).Append("}, ")
                .Append('{').Append(p + 3).Append("}, ")
                .Append('{').Append(p + 4).Append("}, ")
                .Append('{').Append(p + 5).Append("}, ")
                .Append('{').Append(p + 6).Append("}, ")
                .Append('{').Append(p + 7).Append("}, ")
                .Append('{').Append(p + 8).Append("}, ")
                .Append("0, ")
                .Append('{').Append(p + 9).Append("}, ")
                .Append('{').Append(p + 10).Append("})");
            var skipped = item.SkipReason is not null;
            parameters.Add(item.IdempotencyKey);
            parameters.Add(Nullable(item.BroadcastRunId));
            parameters.Add(Nullable(item.MemberId));
            parameters.Add(Nullable(item.GroupChatId));
            parameters.Add(Nullable(item.ChannelIdentityId));
            parameters.Add(item.Route.ToString());
            parameters.Add((skipped ? DeliveryStatus.Skipped : DeliveryStatus.Pending).ToString());
            parameters.Add(skipped ? Truncate(item.SkipReason!, MaxSkipReasonLength) : null!);
            parameters.Add(item.Payload);
            parameters.Add(now);
            parameters.Add(item.NotBefore is { } notBefore ? DateTime.SpecifyKind(notBefore.ToUniversalTime(), DateTimeKind.Utc) : null!);
        }
        sql.Append(" ON CONFLICT (\"IdempotencyKey\") DO NOTHING");
        return (sql.ToString(), parameters.ToArray());
    }

    private static object Nullable(int? value) => value is { } v ? v : null!;

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..max];
}

/// <summary>Wakes the sender loop when rows were written, so a new row does not wait for the next poll.</summary>
public sealed class OutboxSignal
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Wake()
    {
        // At most one pending wake-up: the loop reads every due row when it runs anyway.
        if (_signal.CurrentCount == 0)
        {
            try { _signal.Release(); }
            catch (SemaphoreFullException) { }
        }
    }

    /// <summary>Returns when woken; cancel the token to stop waiting.</summary>
    public Task WaitAsync(CancellationToken ct) => _signal.WaitAsync(ct);
}
