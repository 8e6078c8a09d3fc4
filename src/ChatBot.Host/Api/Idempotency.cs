using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using ChatBot.Core.Domain;
using ChatBot.Host.Admin;
using ChatBot.Host.Data;
using Microsoft.EntityFrameworkCore;

namespace ChatBot.Host.Api;

/// <summary>Marks an endpoint as taking <c>Idempotency-Key</c> (read by the OpenAPI document).</summary>
public sealed class IdempotentEndpointMetadata;

/// <summary>
/// <c>Idempotency-Key</c> for side-effect endpoints: <c>.WithIdempotencyKey()</c>. The first answer to a (caller, key)
/// is stored in the database (so it holds across instances) for <see cref="Lifetime"/>: the same key with the same
/// method, path and body gets that answer replayed (status, body, Location; header <c>Idempotent-Replayed: true</c>)
/// without running the endpoint again; the same key with another request is a 422; a key whose first request is
/// still running is a 409. A 5xx answer is not kept, so the caller may retry with the same key. Without the header
/// the endpoint runs as usual.
/// </summary>
public static class Idempotency
{
    public const string HeaderName = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";
    public const int MaxKeyLength = 200;
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(24);
    /// <summary>Responses larger than this are not stored (the endpoint's answer is still sent).</summary>
    public const int MaxStoredBody = 256 * 1024;

    public static TBuilder WithIdempotencyKey<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder
    {
        builder.WithMetadata(new IdempotentEndpointMetadata());
        builder.AddEndpointFilter(InvokeAsync);
        return builder;
    }

    /// <summary>Keeps the body of a request with the header readable after binding, so the filter can hash it.</summary>
    internal static void BufferIfKeyed(HttpContext context)
    {
        if (context.Request.Headers.ContainsKey(HeaderName)) context.Request.EnableBuffering();
    }

    private static async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var http = invocation.HttpContext;
        var key = http.Request.Headers[HeaderName].ToString();
        if (string.IsNullOrEmpty(key)) return await next(invocation);
        if (key.Length > MaxKeyLength)
            return ApiProblems.Validation(HeaderName, $"{HeaderName} must be at most {MaxKeyLength} characters");

        var caller = CallerOf(http.User);
        var hash = await HashAsync(http.Request);
        var time = http.RequestServices.GetRequiredService<TimeProvider>();
        var scopes = http.RequestServices.GetRequiredService<IServiceScopeFactory>();
        var ct = http.RequestAborted;
        var now = time.GetUtcNow().UtcDateTime;

        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ChatBotDbContext>();
            await db.IdempotencyRecords.Where(r => r.Caller == caller && r.Key == key && r.ExpiresAt <= now).ExecuteDeleteAsync(ct);
            var existing = await db.IdempotencyRecords.AsNoTracking().SingleOrDefaultAsync(r => r.Caller == caller && r.Key == key, ct);
            if (existing is null)
            {
                db.IdempotencyRecords.Add(new IdempotencyRecord
                {
                    Caller = caller, Key = key, RequestHash = hash, CreatedAt = now, ExpiresAt = now + Lifetime,
                });
                try
                {
                    await db.SaveChangesAsync(ct);
                }
                catch (DbUpdateException)
                {
                    // Another instance (or request) inserted the same key first.
                    await using var again = scopes.CreateAsyncScope();
                    existing = await again.ServiceProvider.GetRequiredService<ChatBotDbContext>().IdempotencyRecords.AsNoTracking()
                        .SingleOrDefaultAsync(r => r.Caller == caller && r.Key == key, ct);
                    if (existing is null) throw;
                }
            }
            if (existing is not null) return Answer(http, existing, hash);
        }

        object? result;
        try
        {
            result = await next(invocation);
        }
        catch
        {
            await ForgetAsync(scopes, caller, key);
            throw;
        }

        // Run the result into a buffer, keep it, then send it.
        var original = http.Response.Body;
        using var buffer = new MemoryStream();
        http.Response.Body = buffer;
        try
        {
            switch (result)
            {
                case IResult r: await r.ExecuteAsync(http); break;
                case null: break;
                case string s: await http.Response.WriteAsync(s, ct); break;
                default: await Results.Json(result).ExecuteAsync(http); break;
            }
        }
        catch
        {
            http.Response.Body = original;
            await ForgetAsync(scopes, caller, key);
            throw;
        }
        http.Response.Body = original;

        var status = http.Response.StatusCode;
        if (status >= 500 || buffer.Length > MaxStoredBody)
        {
            await ForgetAsync(scopes, caller, key);
        }
        else
        {
            var body = Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
            var contentType = http.Response.ContentType;
            var location = http.Response.Headers.Location.ToString();
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<ChatBotDbContext>().IdempotencyRecords
                .Where(r => r.Caller == caller && r.Key == key)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(r => r.StatusCode, status)
                    .SetProperty(r => r.ContentType, contentType)
                    .SetProperty(r => r.ResponseBody, body)
                    .SetProperty(r => r.Location, string.IsNullOrEmpty(location) ? null : location), CancellationToken.None);
        }
        buffer.Position = 0;
        await buffer.CopyToAsync(original, ct);
        return Results.Empty;
    }

    private static IResult Answer(HttpContext http, IdempotencyRecord existing, string hash)
    {
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(existing.RequestHash), Encoding.ASCII.GetBytes(hash)))
            return ApiProblems.Unprocessable($"{HeaderName} was already used for a different request; use a new key for a new request");
        if (existing.StatusCode == 0)
            return ApiProblems.Conflict($"a request with this {HeaderName} is still being processed; retry later");
        return new ReplayResult(existing);
    }

    private sealed class ReplayResult(IdempotencyRecord record) : IResult
    {
        public async Task ExecuteAsync(HttpContext http)
        {
            http.Response.StatusCode = record.StatusCode;
            http.Response.Headers[ReplayedHeader] = "true";
            if (record.Location is { } location) http.Response.Headers.Location = location;
            if (record.ContentType is { } type) http.Response.ContentType = type;
            if (!string.IsNullOrEmpty(record.ResponseBody)) await http.Response.WriteAsync(record.ResponseBody, http.RequestAborted);
        }
    }

    private static async Task ForgetAsync(IServiceScopeFactory scopes, string caller, string key)
    {
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<ChatBotDbContext>().IdempotencyRecords
            .Where(r => r.Caller == caller && r.Key == key).ExecuteDeleteAsync(CancellationToken.None);
    }

    /// <summary>"key:{id}" for an API key, "user:{name}" for a console user: keys are never shared between callers.</summary>
    internal static string CallerOf(ClaimsPrincipal user) =>
        user.FindFirstValue(AdminApiGuard.ApiKeyIdClaim) is { } keyId ? "key:" + keyId : "user:" + (user.Identity?.Name ?? "");

    private static async Task<string> HashAsync(HttpRequest request)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(Encoding.UTF8.GetBytes(request.Method + "\n" + request.Path + request.QueryString + "\n"));
        if (request.Body.CanSeek)
        {
            request.Body.Position = 0;
            var chunk = new byte[8192];
            int read;
            while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0) sha.AppendData(chunk, 0, read);
            request.Body.Position = 0;
        }
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }
}
