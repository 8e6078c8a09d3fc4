using ChatBot.Host;
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
builder.AddChatBotHealth();
builder.AddChatBotConversation();

var app = builder.Build();

app.MapChatBotHealth();
app.MapMemberPages();
app.MapJobsDashboard();
app.LogStartupBanner();

app.Run();

/// <summary>Entry point type, public so integration tests can host it with WebApplicationFactory.</summary>
public partial class Program;
