using Microsoft.Extensions.Logging;

namespace ChatBot.IntegrationTests.Data;

/// <summary>Keeps formatted log messages so a test can check what was (and was not) written.</summary>
internal sealed class ListLogger<T> : ILogger<T>
{
    private readonly List<string> messages = [];

    public IReadOnlyList<string> Messages
    {
        get { lock (messages) return [.. messages]; }
    }

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (messages) messages.Add(formatter(state, exception));
    }
}
