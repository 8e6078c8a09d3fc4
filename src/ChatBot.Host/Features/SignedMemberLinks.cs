using System.Globalization;
using System.Security.Cryptography;
using ChatBot.Core.Features;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace ChatBot.Host.Features;

/// <summary>
/// Member links carry a token made with ASP.NET Core Data Protection (authenticated encryption with an HMAC), so a
/// member opens a page from chat without logging in and cannot change the ids in it. The key ring is shared by all
/// instances (data directory or Redis), so any instance can check any link.
/// </summary>
/// <remarks>
/// The expiry travels inside the protected payload and is checked against the injected <see cref="TimeProvider"/>.
/// We deliberately do not use <c>ToTimeLimitedDataProtector()</c>: its <c>Unprotect</c> compares the expiry with the
/// system clock, which gave the product two clocks (a link issued and checked on a pinned clock failed once the real
/// calendar passed its expiry). With a plain protector there is one clock: ours.
/// </remarks>
public sealed class SignedMemberLinks : IMemberLinks
{
    // v2: the payload format changed (expiry inside); v1 tokens (time-limited protector) no longer verify.
    private const string Purpose = "ChatBot.MemberLinks.v2";
    private readonly IDataProtector _protector;
    private readonly MemberPagesOptions _options;
    private readonly TimeProvider _time;

    public SignedMemberLinks(IDataProtectionProvider provider, IOptions<MemberPagesOptions> options, TimeProvider time)
    {
        _protector = provider.CreateProtector(Purpose);
        _options = options.Value;
        _time = time;
    }

    public string Lesson(int memberId, int lessonId) =>
        $"{BaseUrl}/m/lessons/{lessonId}?t={LessonToken(memberId, lessonId)}";

    public string Policy(int contentItemId) => $"{BaseUrl}/m/policies/{contentItemId}";

    /// <summary>The token for one member and one lesson, valid for <c>MemberPages:LinkLifetimeDays</c> from now.</summary>
    public string LessonToken(int memberId, int lessonId)
    {
        var expires = _time.GetUtcNow().AddDays(_options.LinkLifetimeDays).ToUnixTimeSeconds();
        return _protector.Protect(string.Create(CultureInfo.InvariantCulture, $"lesson:{lessonId}:{memberId}:{expires}"));
    }

    /// <summary>The member id a lesson token was issued to, or null when it is forged, for another lesson, or expired.</summary>
    public int? ReadLessonToken(string? token, int lessonId)
    {
        if (string.IsNullOrEmpty(token)) return null;
        string payload;
        try
        {
            payload = _protector.Unprotect(token);
        }
        catch (CryptographicException)
        {
            return null;
        }
        var parts = payload.Split(':');
        if (parts.Length != 4 || parts[0] != "lesson" || parts[1] != lessonId.ToString(CultureInfo.InvariantCulture)) return null;
        if (!int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var memberId)) return null;
        if (!long.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out var expires)) return null;
        // Valid up to, not including, the expiry second: one rule for the boundary.
        return _time.GetUtcNow().ToUnixTimeSeconds() < expires ? memberId : null;
    }

    private string BaseUrl => _options.PublicBaseUrl.TrimEnd('/');
}
