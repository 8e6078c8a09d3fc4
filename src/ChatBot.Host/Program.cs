using ChatBot.Channels.WeChat;
using ChatBot.Host;
using ChatBot.Host.Channels.WeChat;
using ChatBot.Host.Commands;
using ChatBot.Host.Data;
using ChatBot.Host.Features;
using ChatBot.Host.MemberPages;
using ChatBot.Host.Health;
using ChatBot.Host.Jobs;
using ChatBot.Host.Redis;

var builder = WebApplication.CreateBuilder(args);

builder.AddChatBotData();
builder.AddChatBotSharedState();
builder.AddChatBotJobs();
builder.AddWeChat();
builder.AddChatBotHealth();
builder.AddChatBotConversation();

var app = builder.Build();

app.MapChatBotHealth();
app.MapMemberPages();
app.MapJobsDashboard();
app.MapWeChat();
if (HostCommands.IsHostCommand(args))
    return await HostCommands.RunAsync(app, args);

app.LogStartupBanner();

app.Run();
return 0;

/// <summary>Entry point type, public so integration tests can host it with WebApplicationFactory.</summary>
public partial class Program;
