using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/ChatBot.Benchmarks -- --filter '*'
// dotnet run -c Release --project bench/ChatBot.Benchmarks -- search-latency   (bounded loop, per-question percentiles)
if (args is ["search-latency", ..])
{
    ChatBot.Benchmarks.SearchLatency.Run();
    return 0;
}

// dotnet run -c Release --project bench/ChatBot.Benchmarks -- wechat-load --url http://127.0.0.1:5090 --messages 1000000 --pid PID
if (args.Length > 0 && args[0] == "wechat-load")
    return await ChatBot.Benchmarks.WeChatLoad.RunAsync(args);
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
