namespace ChatBot.Host.Api;

/// <summary>
/// <c>?page=&amp;pageSize=</c> of every v1 list: page from 1, pageSize 1..<see cref="MaxPageSize"/> (default 50).
/// Out-of-range values are a 400 naming the field, not silently clamped, so an integrator learns the limit.
/// </summary>
public readonly record struct Paging(int Page, int PageSize)
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 200;

    public int Skip => (Page - 1) * PageSize;

    /// <summary>The paging asked for, or the validation errors (keyed <c>page</c> / <c>pageSize</c>).</summary>
    public static bool TryCreate(int? page, int? pageSize, out Paging paging, out IDictionary<string, string[]> errors)
    {
        errors = new Dictionary<string, string[]>();
        var p = page ?? 1;
        var size = pageSize ?? DefaultPageSize;
        if (p < 1) errors["page"] = ["page starts at 1"];
        if (size < 1 || size > MaxPageSize) errors["pageSize"] = [$"pageSize is between 1 and {MaxPageSize}"];
        paging = new Paging(p, size);
        return errors.Count == 0;
    }
}

/// <summary>One page of a v1 list, with the total so a client can page without guessing.</summary>
public sealed record PagedResult<T>(IReadOnlyList<T> Items, int Total, int Page, int PageSize);
