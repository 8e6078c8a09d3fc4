using ChatBot.Core.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace ChatBot.Host.Data;
using Delivery = ChatBot.Core.Domain.Delivery;


/// <summary>
/// The model shared by both providers. Each provider has a small subclass so each keeps its own migrations
/// (SQLite and PostgreSQL DDL differ); application code depends on this base type only.
/// </summary>
public abstract class ChatBotDbContext(DbContextOptions options) : DbContext(options)
{
    public DbSet<Organisation> Organisations => Set<Organisation>();
    public DbSet<Member> Members => Set<Member>();
    public DbSet<ChannelIdentity> ChannelIdentities => Set<ChannelIdentity>();
    public DbSet<BindingCode> BindingCodes => Set<BindingCode>();
    public DbSet<GroupChat> GroupChats => Set<GroupChat>();
    public DbSet<ContentItem> ContentItems => Set<ContentItem>();
    public DbSet<QuizQuestion> QuizQuestions => Set<QuizQuestion>();
    public DbSet<ContentAttachment> ContentAttachments => Set<ContentAttachment>();
    public DbSet<StudyTask> StudyTasks => Set<StudyTask>();
    public DbSet<StudyAssignment> StudyAssignments => Set<StudyAssignment>();
    public DbSet<Activity> Activities => Set<Activity>();
    public DbSet<SignUp> SignUps => Set<SignUp>();
    public DbSet<PointsRule> PointsRules => Set<PointsRule>();
    public DbSet<PointsEntry> PointsEntries => Set<PointsEntry>();
    public DbSet<StarLevel> StarLevels => Set<StarLevel>();
    public DbSet<Broadcast> Broadcasts => Set<Broadcast>();
    public DbSet<BroadcastRun> BroadcastRuns => Set<BroadcastRun>();
    public DbSet<Core.Domain.Delivery> Deliveries => Set<Core.Domain.Delivery>();
    public DbSet<RecurringSchedule> RecurringSchedules => Set<RecurringSchedule>();
    public DbSet<ScheduleRun> ScheduleRuns => Set<ScheduleRun>();
    public DbSet<LessonSeriesPosition> LessonSeriesPositions => Set<LessonSeriesPosition>();
    public DbSet<AdminUser> AdminUsers => Set<AdminUser>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    public DbSet<UnansweredQuestion> UnansweredQuestions => Set<UnansweredQuestion>();
    public DbSet<IdempotencyRecord> IdempotencyRecords => Set<IdempotencyRecord>();
    public DbSet<MemberImportJob> MemberImportJobs => Set<MemberImportJob>();
    public DbSet<Core.Cadence.MeetingCadenceOverride> MeetingCadenceOverrides => Set<Core.Cadence.MeetingCadenceOverride>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(ChatBotDbContext).Assembly);

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Everything is stored in UTC; SQLite hands DateTime back as Unspecified, so mark it on the way out.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<DateTime?>().HaveConversion<UtcDateTimeConverter>();
    }

    private sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
        v => v.Kind == DateTimeKind.Utc ? v : DateTime.SpecifyKind(v.ToUniversalTime(), DateTimeKind.Utc),
        v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
}

public sealed class SqliteChatBotDbContext(DbContextOptions<SqliteChatBotDbContext> options) : ChatBotDbContext(options);

public sealed class PostgresChatBotDbContext(DbContextOptions<PostgresChatBotDbContext> options) : ChatBotDbContext(options);
