using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/ChatBot.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
