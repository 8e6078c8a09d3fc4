using ChatBot.Core.Domain;
using ChatBot.Core.Features;
using ChatBot.Host.Data;
using Microsoft.EntityFrameworkCore;

namespace ChatBot.Host.UnansweredQuestions;

/// <summary>Stores what the engine could not answer with confidence; the question is redacted before it is saved.</summary>
public sealed class EfUnansweredQuestions(ChatBotDbContext db) : IUnansweredQuestions
{
    public async Task<long> RecordAsync(UnansweredReport report, CancellationToken ct)
    {
        var question = UnansweredQuestion.Redact(report.Question);
        var offered = string.Join('\n', report.Offered);
        var row = new UnansweredQuestion
        {
            Question = question.Length > 0 ? question : "（空）",
            Channel = report.Channel,
            OrganisationId = report.OrganisationId,
            MemberId = report.HumanRequested ? report.MemberId : null,
            Kind = report.Kind,
            Offered = offered.Length > UnansweredQuestion.MaxOfferedLength ? offered[..UnansweredQuestion.MaxOfferedLength] : offered,
            HumanRequested = report.HumanRequested,
            Status = UnansweredStatus.Open,
            AskedAt = report.AskedAtUtc,
        };
        db.UnansweredQuestions.Add(row);
        await db.SaveChangesAsync(ct);
        return row.Id;
    }

    public async Task<bool> RequestHumanAsync(long id, int? memberId, CancellationToken ct)
    {
        var row = await db.UnansweredQuestions.SingleOrDefaultAsync(q => q.Id == id, ct);
        if (row is null) return false;
        row.HumanRequested = true;
        row.Kind = UnansweredKind.Human;
        row.MemberId = memberId;
        // Asked again for a person: back on the open list even if someone had closed it.
        row.Status = UnansweredStatus.Open;
        row.ResolvedAt = null;
        row.ResolvedBy = null;
        await db.SaveChangesAsync(ct);
        return true;
    }
}
