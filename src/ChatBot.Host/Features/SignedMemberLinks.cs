using System.Globalization;
using ChatBot.Core.Features;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace ChatBot.Host.Features;

/// <summary>
/// Member links carry a token made with ASP.NET Core Data Protection (authenticated encryption with an HMAC and
/// an expiry), so a member opens a page from chat without logging in and cannot change the ids in it.
/// The key ring is shared by all instances (data directory or Redis), so any instance can check any link.
/// </summary>
public sealed class SignedMemberLinks : IMemberLinks
{
    private const string Purpose = "ChatBot.MemberLinks.v1";
    private readonly ITimeLimitedDataProtector _protector;
    private readonly MemberPagesOptions _options;
    private readonly TimeProvider _time;

    public SignedMemberLinks(IDataProtectionProvider provider, IOptions<MemberPagesOptions> options, TimeProvider time)
    {
        _protector = provider.CreateProtector(Purpose).ToTimeLimitedDataProtector();
        _options = options.Value;
        _time = time;
    }

    public string Lesson(int memberId, int lessonId) =>
        $"{BaseUrl}/m/lessons/{lessonId}?t={Protect($"lesson:{lessonId}:{memberId}")}";

    public string Policy(int contentItemId) => $"{BaseUrl}/m/policies/{contentItemId}";

    /// <summary>The member id a lesson token was issued to, or null when it is forged, for another lesson, or expired.</summary>
    public int? ReadLessonToken(string? token, int lessonId)
    {
        if (string.IsNullOrEmpty(token)) return null;
        try
        {
            var payload = _protector.Unprotect(token, out var expiration);
            if (expiration < _time.GetUtcNow()) return null;
            var parts = payload.Split(':');
            return parts.Length == 3 && parts[0] == "lesson" && parts[1] == lessonId.ToString(CultureInfo.InvariantCulture)
                && int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var memberId)
                ? memberId
                : null;
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null;
        }
    }

    private string BaseUrl => _options.PublicBaseUrl.TrimEnd('/');

    private string Protect(string payload) =>
        _protector.Protect(payload, _time.GetUtcNow().AddDays(_options.LinkLifetimeDays));
}
