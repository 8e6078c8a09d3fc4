using BenchmarkDotNet.Attributes;
using ChatBot.Core.Conversation;
using ChatBot.Core.Conversation.Handlers;
using ChatBot.Core.Domain;
using ChatBot.Core.Features;
using ChatBot.Core.Messaging;
using ChatBot.Core.Ports.InProcess;
using ChatBot.Core.Search;
using ChatBot.Host.Templates;
using Microsoft.Extensions.Logging.Abstractions;

namespace ChatBot.Benchmarks;

/// <summary>
/// One command resolved and rendered by the real engine, handlers and Liquid templates, with the database-backed
/// services replaced by in-memory answers: the engine's own cost, excluding database I/O (issue 4 target ≤ 50 µs median).
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class CommandBenchmarks
{
    private ConversationEngine _engine = null!;
    private int _n;

    [GlobalSetup]
    public void Setup()
    {
        var time = TimeProvider.System;
        var session = new SessionState(new InProcessSessionStore(time));
        var templates = new LiquidReplyTemplates(new TemplateFolder(Path.Combine(AppContext.BaseDirectory, "templates")), new LiquidRenderer());
        var display = new DisplayTime(TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai"));
        var data = new InMemoryFeatures();
        var search = new PolicySearchIndex();
        search.Rebuild(ChatBot.Core.Demo.DemoContent.Policies(DateTime.UtcNow).Select((p, i) => { p.Id = i + 1; return p; }));
        var guesses = new GuessLimiter(new InProcessAttemptCounter(time));
        var binding = new BindingHandler(data, templates, session, guesses);
        _engine = new ConversationEngine(
            data, data, new CommandTable(), session,
            new ChatBot.Core.Conversation.Handlers.EventHandler(data, data, binding, templates),
            new HelpHandler(templates, session), binding,
            new StudyHandler(data, data, templates, session, display),
            new ActivityHandler(data, data, templates, session, display, guesses, data),
            new PointsHandler(data, templates, data),
            new PolicyHandler(search, data, templates, session, new NoUnanswered(), Microsoft.Extensions.Options.Options.Create(new AssistanceOptions())),
            new ProgressHandler(data, templates, display),
            templates, time, NullLogger<ConversationEngine>.Instance);
    }

    [Benchmark]
    public Task<OutboundReply> Activities() => Send("活动");

    [Benchmark]
    public Task<OutboundReply> Points() => Send("积分");

    [Benchmark]
    public Task<OutboundReply> Help() => Send("帮助");

    [Benchmark]
    public Task<OutboundReply> RegisterFullWidth() => Send("报名　２");

    private Task<OutboundReply> Send(string text) => _engine.HandleAsync(new InboundMessage
    {
        Channel = Channel.WeChat, SenderId = "bench-openid", Kind = InboundKind.Text, Text = text,
        DedupeKey = "b" + Interlocked.Increment(ref _n), ReceivedAt = DateTime.UtcNow,
    }, CancellationToken.None);

    /// <summary>Fixed answers standing in for the EF services, so only engine work is measured.</summary>
    /// <summary>The benchmarked commands never fall back; a 可能相关 reply would only need an id.</summary>
    private sealed class NoUnanswered : IUnansweredQuestions
    {
        public Task<long> RecordAsync(UnansweredReport report, CancellationToken ct) => Task.FromResult(0L);
        public Task<bool> RequestHumanAsync(long id, int? memberId, CancellationToken ct) => Task.FromResult(false);
    }

    private sealed class InMemoryFeatures : IMemberDirectory, IGroupDirectory, IDeliveryReports, IMemberNotifier,
        IStudyService, IActivityService, IPointsService, IMemberLinks
    {
        private static readonly MemberRef Member = new(1, "王建国", 2, "/1/2/", "商圈党支部");
        private readonly ActivityView[] _activities =
        [
            new(1, "主题党日：走访困难商户", ActivityKind.ThemeDay, "商圈党支部", "党群服务站", DateTime.UtcNow.AddDays(2), DateTime.UtcNow.AddDays(1), 5, 3, 0, null),
            new(2, "党课：诚信经营", ActivityKind.PartyLecture, "个私党委", "三楼会议室", DateTime.UtcNow.AddDays(3), DateTime.UtcNow.AddDays(3), null, 12, 0, SignUpStatus.Registered),
        ];

        public Task<SenderRef> RecordInboundAsync(Channel channel, string externalId, bool opensWindow, DateTime nowUtc, CancellationToken ct) =>
            Task.FromResult(new SenderRef(1, BindingState.Bound, Member));
        public Task<BindResult> BindWithCodeAsync(int identityId, string code, DateTime nowUtc, CancellationToken ct) => Task.FromResult(new BindResult(BindOutcome.AlreadyBound, Member));
        public Task<BindResult> RequestBindingAsync(int identityId, string name, string phone, DateTime nowUtc, CancellationToken ct) => Task.FromResult(new BindResult(BindOutcome.AlreadyBound, Member));
        public Task<BindResult> UnbindAsync(int identityId, CancellationToken ct) => Task.FromResult(new BindResult(BindOutcome.Unbound));
        public Task SetSubscribedAsync(Channel channel, string externalId, bool subscribed, DateTime nowUtc, CancellationToken ct) => Task.CompletedTask;
        public Task<GroupRef?> FindByConversationAsync(Channel channel, string conversationId, CancellationToken ct) => Task.FromResult<GroupRef?>(null);
        public Task RecordAsync(Channel channel, string platformMessageId, string status, DateTime nowUtc, CancellationToken ct) => Task.CompletedTask;
        public Task NotifyAsync(int memberId, string sourceKey, string text, CancellationToken ct) => Task.CompletedTask;
        public Task<LessonSummary?> NextLessonAsync(int memberId, CancellationToken ct) => Task.FromResult<LessonSummary?>(new(1, "诚信经营", "守信", 5, 3, true, DateTime.UtcNow.AddDays(3)));
        public Task<LessonSummary?> GetLessonAsync(int lessonId, CancellationToken ct) => NextLessonAsync(1, ct);
        public Task<IReadOnlyList<QuizQuestionView>> GetQuizAsync(int lessonId, CancellationToken ct) => Task.FromResult<IReadOnlyList<QuizQuestionView>>([]);
        public Task<TaskOverview> GetTasksAsync(int memberId, CancellationToken ct) => Task.FromResult(new TaskOverview([], 1, 1));
        public Task<QuizOutcome> RecordQuizAsync(int memberId, int lessonId, int correct, int total, DateTime nowUtc, CancellationToken ct) => Task.FromResult(new QuizOutcome(100, true, true, 7));
        public Task MarkLessonReadAsync(int memberId, int lessonId, DateTime nowUtc, CancellationToken ct) => Task.CompletedTask;
        public Task<QuizSubmission?> SubmitQuizAsync(int memberId, int lessonId, IReadOnlyDictionary<int, string> answers, DateTime nowUtc, CancellationToken ct) =>
            Task.FromResult<QuizSubmission?>(null);
        public Task<IReadOnlyList<BranchTaskProgress>> GetBranchProgressAsync(int organisationId, DateTime nowUtc, CancellationToken ct) => Task.FromResult<IReadOnlyList<BranchTaskProgress>>([]);
        public Task<IReadOnlyList<ActivityView>> UpcomingForMemberAsync(int memberId, DateTime nowUtc, CancellationToken ct) => Task.FromResult<IReadOnlyList<ActivityView>>(_activities);
        public Task<IReadOnlyList<ActivityView>> UpcomingForOrganisationAsync(int organisationId, DateTime nowUtc, CancellationToken ct) => Task.FromResult<IReadOnlyList<ActivityView>>(_activities);
        public Task<RegisterResult> RegisterAsync(int activityId, int memberId, DateTime nowUtc, CancellationToken ct) => Task.FromResult(new RegisterResult(RegisterOutcome.AlreadyRegistered, _activities[1]));
        public Task<CancelResult> CancelAsync(int activityId, int memberId, DateTime nowUtc, CancellationToken ct) => Task.FromResult(new CancelResult(CancelOutcome.Cancelled, _activities[1]));
        public Task<CheckInResult> CheckInAsync(int memberId, string code, DateTime nowUtc, CancellationToken ct) => Task.FromResult(new CheckInResult(CheckInOutcome.CodeNotFound, null));
        public Task<int> CreditAsync(int memberId, string ruleCode, string sourceKey, DateTime nowUtc, CancellationToken ct) => Task.FromResult(0);
        public Task<PointsSummary> GetSummaryAsync(int memberId, DateTime nowUtc, CancellationToken ct) => Task.FromResult(new PointsSummary(
            23, 8, [new("activity.checkin", "参加活动签到", 15), new("quiz.passed", "答题通过", 8)], 1, [new("学习微党课", 2), new("答题通过", 4)]));
        public string Lesson(int memberId, int lessonId) => $"https://example.org/m/lessons/{lessonId}?t=token";
        public string Policy(int contentItemId) => $"https://example.org/m/policies/{contentItemId}";
        public string Activity(int memberId, int activityId) => $"https://example.org/m/activities/{activityId}?t=token";
        public string Tasks(int memberId) => "https://example.org/m/tasks?t=token";
        public string Points(int memberId) => "https://example.org/m/points?t=token";
    }
}
