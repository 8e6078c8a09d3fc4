using System.Text;

namespace ChatBot.Core.Domain;

/// <summary>How a question ended up on the admins' list.</summary>
public enum UnansweredKind
{
    /// <summary>In the domain, nothing passed the relevance gate: the closest guides were offered as 可能相关.</summary>
    Fallback = 0,
    /// <summary>The member wrote 人工 (with a question, or after a 可能相关 reply).</summary>
    Human = 1,
}

public enum UnansweredStatus
{
    Open = 0,
    /// <summary>An admin added the missing guide or synonym, or answered the member.</summary>
    Resolved = 1,
}

/// <summary>
/// A question the bot could not answer with confidence, kept so the committee adds the missing guide or synonym
/// (docs/SEARCH.md). Holds the branch, not the member, unless the member asked for a person (人工): then someone
/// has to get back to them.
/// </summary>
public class UnansweredQuestion
{
    public const int MaxQuestionLength = 200;
    public const int MaxOfferedLength = 600;

    public long Id { get; set; }
    /// <summary>Capped at <see cref="MaxQuestionLength"/>, digit runs of seven or more masked (<see cref="Redact"/>).</summary>
    public required string Question { get; set; }
    public Channel Channel { get; set; }
    /// <summary>The member's branch (or the group's), when known.</summary>
    public int? OrganisationId { get; set; }
    /// <summary>Only for 人工 requests from a bound member.</summary>
    public int? MemberId { get; set; }
    public UnansweredKind Kind { get; set; }
    /// <summary>Titles offered as 可能相关, one per line; empty when nothing was offered.</summary>
    public string Offered { get; set; } = "";
    public bool HumanRequested { get; set; }
    public UnansweredStatus Status { get; set; }
    public DateTime AskedAt { get; set; }
    public DateTime? ResolvedAt { get; set; }
    public string? ResolvedBy { get; set; }

    public void Resolve(string actor, DateTime nowUtc)
    {
        if (Status == UnansweredStatus.Resolved) return;
        Status = UnansweredStatus.Resolved;
        ResolvedAt = nowUtc;
        ResolvedBy = actor.Length > 100 ? actor[..100] : actor;
    }

    /// <summary>
    /// What may be stored of a member's question: trimmed, at most <see cref="MaxQuestionLength"/> characters, and
    /// every run of seven or more digits (phone, ID card, bank card numbers) replaced by asterisks. Codes such as
    /// 12315 stay readable. Full-width digits count as digits.
    /// </summary>
    public static string Redact(string? question)
    {
        if (string.IsNullOrWhiteSpace(question)) return "";
        var text = question.Trim();
        var builder = new StringBuilder(Math.Min(text.Length, MaxQuestionLength));
        var i = 0;
        while (i < text.Length && builder.Length < MaxQuestionLength)
        {
            if (!char.IsDigit(text[i]))
            {
                // A lone surrogate half at the cut would make an invalid string; cut before the pair instead.
                if (char.IsHighSurrogate(text[i]) && builder.Length + 2 > MaxQuestionLength) break;
                builder.Append(text[i++]);
                continue;
            }

            var start = i;
            // Separators inside a number (138 1234 5678, 138-1234-5678) keep it one run.
            while (i < text.Length && (char.IsDigit(text[i]) || (IsSeparator(text[i]) && i + 1 < text.Length && char.IsDigit(text[i + 1]) && i > start)))
                i++;
            var run = text[start..i];
            var digits = run.Count(char.IsDigit);
            var piece = digits >= 7 ? new string('*', run.Length) : run;
            builder.Append(piece.Length <= MaxQuestionLength - builder.Length ? piece : piece[..(MaxQuestionLength - builder.Length)]);
        }

        return builder.ToString();
    }

    private static bool IsSeparator(char c) => c is ' ' or '-' or '　' or '－';
}
