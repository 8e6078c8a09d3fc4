using System.Runtime.CompilerServices;

namespace ChatBot.Core.Ports.InProcess;

/// <summary>Argument checks shared by every shared-state implementation, so in-process and Redis reject the same input.</summary>
public static class SharedStateArguments
{
    public static void RequirePositive(TimeSpan value, [CallerArgumentExpression(nameof(value))] string? name = null)
    {
        if (value <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(name, value, "Must be positive.");
    }

    public static void RequireLimit(int limit, [CallerArgumentExpression(nameof(limit))] string? name = null)
    {
        if (limit < 1) throw new ArgumentOutOfRangeException(name, limit, "Must be at least 1.");
    }

    /// <summary>A wait may be zero (try once) or <see cref="Timeout.InfiniteTimeSpan"/>.</summary>
    public static void RequireWait(TimeSpan wait, [CallerArgumentExpression(nameof(wait))] string? name = null)
    {
        if (wait < TimeSpan.Zero && wait != Timeout.InfiniteTimeSpan)
            throw new ArgumentOutOfRangeException(name, wait, "Must be zero, positive or infinite.");
    }
}
