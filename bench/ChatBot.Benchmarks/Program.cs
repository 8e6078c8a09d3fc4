using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/ChatBot.Benchmarks -- --filter '*'
// dotnet run -c Release --project bench/ChatBot.Benchmarks -- search-latency   (bounded loop, per-question percentiles)
if (args is ["search-latency", ..])
{
    ChatBot.Benchmarks.SearchLatency.Run();
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
