using System.Globalization;
using System.Security.Cryptography;
using ChatBot.Core.Features;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace ChatBot.Host.Features;

/// <summary>Why a member-page token was refused, or <see cref="Valid"/>.</summary>
public enum MemberLinkStatus
{
    Valid = 0,
    /// <summary>Missing, forged, tampered, from another key ring, or for another page.</summary>
    Invalid = 1,
    Expired = 2,
    /// <summary>Signed and unexpired, but the member unbound (解绑) after it was issued, or is gone.</summary>
    Revoked = 3,
}

/// <summary>What a verified token says: whose it is and when it was issued (for the revocation check).</summary>
public sealed record MemberLinkClaim(MemberLinkStatus Status, int MemberId = 0, DateTime IssuedAtUtc = default)
{
    public static MemberLinkClaim Invalid { get; } = new(MemberLinkStatus.Invalid);
    public static MemberLinkClaim Expired { get; } = new(MemberLinkStatus.Expired);
    public bool IsValid => Status == MemberLinkStatus.Valid;
}

/// <summary>
/// Member links carry a token made with ASP.NET Core Data Protection (authenticated encryption with an HMAC), so a
/// member opens a page from chat without logging in and cannot change the ids in it. The key ring is shared by all
/// instances (data directory or Redis), so any instance can check any link.
/// </summary>
/// <remarks>
/// <para>A token names one page (its <em>scope</em>: <c>lesson.12</c>, <c>activity.3</c>, <c>tasks</c>, <c>points</c>),
/// one member, its issue time (milliseconds) and its expiry. A token for one page never opens another.</para>
/// <para>Revocation: 解绑 stamps <c>Member.LinksRevokedAt</c>; a token issued at or before that instant is refused
/// (<see cref="MemberPages.MemberLinkGate"/> checks it against the database on every request). Using the issue
/// time rather than a per-member counter keeps issuing a link free of database reads, so every caller (chat
/// replies, broadcast runs of thousands of members) mints links synchronously.</para>
/// <para>The expiry travels inside the protected payload and is checked against the injected <see cref="TimeProvider"/>.
/// We deliberately do not use <c>ToTimeLimitedDataProtector()</c>: its <c>Unprotect</c> compares the expiry with the
/// system clock, which gave the product two clocks. With a plain protector there is one clock: ours.</para>
/// </remarks>
public sealed class SignedMemberLinks : IMemberLinks
{
    // v3: scoped payload with issue time (revocation). v2 tokens (lesson only, no issue time) no longer verify.
    private const string Purpose = "ChatBot.MemberLinks.v3";
    private readonly IDataProtector _protector;
    private readonly MemberPagesOptions _options;
    private readonly TimeProvider _time;

    public SignedMemberLinks(IDataProtectionProvider provider, IOptions<MemberPagesOptions> options, TimeProvider time)
    {
        _protector = provider.CreateProtector(Purpose);
        _options = options.Value;
        _time = time;
    }

    public static string LessonScope(int lessonId) => "lesson." + lessonId.ToString(CultureInfo.InvariantCulture);
    public static string ActivityScope(int activityId) => "activity." + activityId.ToString(CultureInfo.InvariantCulture);
    public const string TasksScope = "tasks";
    public const string PointsScope = "points";

    public string Lesson(int memberId, int lessonId) =>
        $"{BaseUrl}/m/lessons/{lessonId}?t={Token(memberId, LessonScope(lessonId))}";

    public string Activity(int memberId, int activityId) =>
        $"{BaseUrl}/m/activities/{activityId}?t={Token(memberId, ActivityScope(activityId))}";

    public string Tasks(int memberId) => $"{BaseUrl}/m/tasks?t={Token(memberId, TasksScope)}";

    public string Points(int memberId) => $"{BaseUrl}/m/points?t={Token(memberId, PointsScope)}";

    public string Policy(int contentItemId) => $"{BaseUrl}/m/policies/{contentItemId}";

    /// <summary>The token for one member and one lesson, valid for <c>MemberPages:LinkLifetimeDays</c> from now.</summary>
    public string LessonToken(int memberId, int lessonId) => Token(memberId, LessonScope(lessonId));

    /// <summary>A token for one member and one page scope, valid for <c>MemberPages:LinkLifetimeDays</c> from now.</summary>
    public string Token(int memberId, string scope)
    {
        var now = _time.GetUtcNow();
        var expires = now.AddDays(_options.LinkLifetimeDays).ToUnixTimeSeconds();
        return _protector.Protect(string.Create(CultureInfo.InvariantCulture,
            $"{scope}|{memberId}|{now.ToUnixTimeMilliseconds()}|{expires}"));
    }

    /// <summary>The member id a lesson token was issued to, or null when it is forged, for another lesson, or expired.
    /// Signature and expiry only: revocation needs the database (<see cref="MemberPages.MemberLinkGate"/>).</summary>
    public int? ReadLessonToken(string? token, int lessonId) =>
        Read(token, LessonScope(lessonId)) is { IsValid: true } claim ? claim.MemberId : null;

    /// <summary>Checks signature, scope and expiry (not revocation).</summary>
    public MemberLinkClaim Read(string? token, string scope)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 2048) return MemberLinkClaim.Invalid;
        string payload;
        try
        {
            payload = _protector.Unprotect(token);
        }
        catch (CryptographicException)
        {
            return MemberLinkClaim.Invalid;
        }
        catch (FormatException)
        {
            return MemberLinkClaim.Invalid;
        }
        var parts = payload.Split('|');
        if (parts.Length != 4 || !string.Equals(parts[0], scope, StringComparison.Ordinal)) return MemberLinkClaim.Invalid;
        if (!int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var memberId)) return MemberLinkClaim.Invalid;
        if (!long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var issuedMs)) return MemberLinkClaim.Invalid;
        if (!long.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out var expires)) return MemberLinkClaim.Invalid;
        // Valid up to, not including, the expiry second: one rule for the boundary.
        if (_time.GetUtcNow().ToUnixTimeSeconds() >= expires) return MemberLinkClaim.Expired;
        return new MemberLinkClaim(MemberLinkStatus.Valid, memberId, DateTimeOffset.FromUnixTimeMilliseconds(issuedMs).UtcDateTime);
    }

    private string BaseUrl => _options.PublicBaseUrl.TrimEnd('/');
}
