using ChatBot.Channels.DingTalk;
using ChatBot.Channels.WeChat;
using ChatBot.Host;
using ChatBot.Host.Admin;
using ChatBot.Host.Channels.WeChat;
using ChatBot.Host.Commands;
using ChatBot.Host.Data;
using ChatBot.Host.Features;
using ChatBot.Host.GroupChats;
using ChatBot.Host.Health;
using ChatBot.Host.Jobs;
using ChatBot.Host.MemberPages;
using ChatBot.Host.Redis;
using ChatBot.Host.UnansweredQuestions;

var builder = WebApplication.CreateBuilder(args);

builder.AddChatBotData();
builder.AddChatBotSharedState();
builder.AddChatBotJobs();
builder.AddChatBotHealth();
builder.AddChatBotConversation();
builder.AddWeChat();
builder.AddDingTalk();
builder.AddGroupChats();
builder.AddChatBotAdminApi();
builder.AddChatBotUnansweredQuestions();

var app = builder.Build();

if (HostCommands.IsHostCommand(args))
    return await HostCommands.RunAsync(app, args);

app.MapChatBotHealth();
app.MapMemberPages();
app.MapJobsDashboard();
app.MapWeChat();
app.MapDingTalk();
app.MapGroupChats();
app.MapChatBotAdminApi();
app.MapChatBotUnansweredQuestions();
app.LogStartupBanner();

app.Run();
return 0;

/// <summary>Entry point type, public so integration tests can host it with WebApplicationFactory.</summary>
public partial class Program;
