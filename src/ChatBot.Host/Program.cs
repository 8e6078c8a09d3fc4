using ChatBot.Channels.DingTalk;
using ChatBot.Host;
using ChatBot.Host.Data;
using ChatBot.Host.GroupChats;
using ChatBot.Host.Health;
using ChatBot.Host.Jobs;
using ChatBot.Host.Redis;

var builder = WebApplication.CreateBuilder(args);

builder.AddChatBotData();
builder.AddChatBotSharedState();
builder.AddChatBotJobs();
builder.AddChatBotHealth();
builder.AddDingTalk();
builder.AddGroupChats();

var app = builder.Build();

app.MapChatBotHealth();
app.MapJobsDashboard();
app.MapDingTalk();
app.MapGroupChats();
app.LogStartupBanner();

app.Run();

/// <summary>Entry point type, public so integration tests can host it with WebApplicationFactory.</summary>
public partial class Program;
