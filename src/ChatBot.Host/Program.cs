using ChatBot.Channels.DingTalk;
using ChatBot.Channels.WeChat;
using ChatBot.Host;
using ChatBot.Host.Activities;
using ChatBot.Host.Admin;
using ChatBot.Host.Api;
using ChatBot.Host.Broadcasts;
using ChatBot.Host.Cadence;
using ChatBot.Host.Channels.WeChat;
using ChatBot.Host.Commands;
using ChatBot.Host.Content;
using ChatBot.Host.Data;
using ChatBot.Host.Delivery;
using ChatBot.Host.Features;
using ChatBot.Host.GroupChats;
using ChatBot.Host.Health;
using ChatBot.Host.Hosting;
using ChatBot.Host.Jobs;
using ChatBot.Host.Ledger;
using ChatBot.Host.MemberPages;
using ChatBot.Host.Members;
using ChatBot.Host.Organisations;
using ChatBot.Host.RateLimits;
using ChatBot.Host.Schedules;
using ChatBot.Host.Points;
using ChatBot.Host.Study;
using ChatBot.Host.Redis;
using ChatBot.Host.UnansweredQuestions;

var builder = WebApplication.CreateBuilder(args);

builder.AddChatBotErrorHandling();
builder.AddChatBotRateLimits();
builder.AddChatBotData();
builder.AddChatBotSharedState();
builder.AddChatBotJobs();
builder.AddChatBotHealth();
builder.AddChatBotConversation();
builder.AddChatBotDelivery();
builder.AddWeChat();
builder.AddDingTalk();
builder.AddGroupChats();
builder.AddChatBotAdminApi();
builder.AddChatBotConsole();
builder.AddConsoleLedger();
builder.AddBroadcasts();
builder.AddSchedules();
builder.AddContent();
builder.AddActivities();
builder.AddStudyTasks();
builder.AddPointsConsole();
builder.AddChatBotUnansweredQuestions();
builder.AddChatBotApiDocs();
builder.AddCadence();

var app = builder.Build();
app.UseChatBotErrorHandling();
app.UseChatBotForwardedHeaders();
app.UseChatBotRateLimits();

if (HostCommands.IsHostCommand(args))
    return await HostCommands.RunAsync(app, args);

// First: its middleware (security headers, static files, authentication) runs before every endpoint.
app.MapChatBotConsole();
app.MapChatBotHealth();
app.MapMemberPages();
app.MapActivityCheckInPage();
app.MapJobsDashboard();
app.MapWeChat();
app.MapDingTalk();
app.UseChatBotApiRateLimits();
app.MapChatBotApiDocs();
var api = app.MapApiV1();
api.MapBroadcastsApi();
api.MapCadenceApi();
api.MapSchedulesApi();
api.MapBindingsApi();
api.MapGroupChatsApi();
api.MapUnansweredQuestionsApi();
api.MapOrganisationsApi();
api.MapMembersApi();
api.MapContentApi();
api.MapActivitiesApi();
api.MapStudyApi();
api.MapPointsApi();
app.LogStartupBanner();

app.Run();
return 0;

/// <summary>Entry point type, public so integration tests can host it with WebApplicationFactory.</summary>
public partial class Program;
