using ChatBot.Core.Domain;
using ChatBot.Core.Search;
using ChatBot.Host.Data;
using Microsoft.EntityFrameworkCore;

namespace ChatBot.Host.Features;

/// <summary>
/// Keeps the in-memory search index in step with published content: built once the database is ready, then rebuilt
/// whenever the published set's fingerprint (count + last update) changes — edits made on any instance show up
/// everywhere within <see cref="PollInterval"/> without a message bus.
/// </summary>
public sealed class PolicyIndexRefresher(
    PolicySearchIndex index, IChatBotDbContextFactory contexts, TimeProvider time, ILogger<PolicyIndexRefresher> logger,
    ChatBot.Host.Templates.TemplateFolder templates) : BackgroundService
{
    private DateTime _thesaurusWrittenAt = DateTime.MinValue;
    private DateTime _domainWrittenAt = DateTime.MinValue;

    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(5);
    private (int Count, DateTime? LastUpdate) _fingerprint = (-1, null);

    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>
    /// Rebuilds now if published content changed; content editors call this after saving, with <paramref name="force"/>
    /// (two changes within one clock tick can leave count and last update as they were). One rebuild at a time.
    /// </summary>
    public async Task RefreshAsync(CancellationToken ct, bool force = false)
    {
        await _gate.WaitAsync(ct);
        try
        {
            await RefreshLockedAsync(force, ct);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task RefreshLockedAsync(bool force, CancellationToken ct)
    {
        await using var db = contexts.CreateDbContext();
        var published = db.ContentItems.AsNoTracking().Where(c => c.Status == ContentStatus.Published);
        var fingerprint = (await published.CountAsync(ct), await published.MaxAsync(c => (DateTime?)c.UpdatedAt, ct));
        var thesaurusPath = Path.Combine(templates.Path, "search", "synonyms.txt");
        var thesaurusWrittenAt = File.Exists(thesaurusPath) ? File.GetLastWriteTimeUtc(thesaurusPath) : DateTime.MinValue;
        var domainPath = Path.Combine(templates.Path, "search", "domain.txt");
        var domainWrittenAt = File.Exists(domainPath) ? File.GetLastWriteTimeUtc(domainPath) : DateTime.MinValue;
        if (!force && fingerprint == _fingerprint && thesaurusWrittenAt == _thesaurusWrittenAt && domainWrittenAt == _domainWrittenAt) return;
        SearchDomain? domain = null;
        if (domainWrittenAt != _domainWrittenAt)
        {
            // templates/search/domain.txt: what counts as the bot's field when no guide is a confident answer.
            domain = File.Exists(domainPath)
                ? SearchDomain.Parse(await File.ReadAllTextAsync(domainPath, ct), index.Normalizer)
                : SearchDomain.Empty;
            _domainWrittenAt = domainWrittenAt;
        }
        SearchThesaurus? thesaurus = null;
        if (thesaurusWrittenAt != _thesaurusWrittenAt)
        {
            // templates/search/synonyms.txt: how members say it → how the guides say it (docs/SEARCH.md).
            IReadOnlyList<string> errors = [];
            thesaurus = File.Exists(thesaurusPath)
                ? SearchThesaurus.Parse(await File.ReadAllTextAsync(thesaurusPath, ct), index.Normalizer, out errors)
                : SearchThesaurus.Empty;
            foreach (var error in errors)
                logger.LogWarning("templates/search/synonyms.txt {Error}", error);
            _thesaurusWrittenAt = thesaurusWrittenAt;
        }
        var items = await published.ToListAsync(ct);
        index.Rebuild(items, thesaurus, domain);
        _fingerprint = fingerprint;
        logger.LogInformation("Search index rebuilt with {Count} published items", items.Count);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RefreshAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Search index refresh failed; keeping the previous index");
            }
            await Task.Delay(PollInterval, time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }
}
