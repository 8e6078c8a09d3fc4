using ChatBot.Host.Features;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace ChatBot.IntegrationTests.MemberPages;

/// <summary>
/// Link expiry is decided by the injected clock alone. The clocks below are set far from the real calendar on
/// purpose: if any check fell back to the system clock, these tests would fail (today, or in some future year).
/// </summary>
public class SignedMemberLinksTests
{
    private static readonly DateTimeOffset Issued = new(2026, 11, 23, 2, 0, 0, TimeSpan.Zero);

    /// <summary>A clock that can also go back (FakeTimeProvider only moves forward).</summary>
    private sealed class SettableClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;
        public override DateTimeOffset GetUtcNow() => Now;
        public void Advance(TimeSpan by) => Now += by;
    }

    private static (SignedMemberLinks Links, SettableClock Clock) Create(DateTimeOffset now, int lifetimeDays = 7)
    {
        var clock = new SettableClock(now);
        var options = Options.Create(new MemberPagesOptions { PublicBaseUrl = "https://m.example", LinkLifetimeDays = lifetimeDays });
        return (new SignedMemberLinks(new EphemeralDataProtectionProvider(), options, clock), clock);
    }

    [Fact]
    public void ReadLessonToken_AcceptsUntilTheLifetimeEnds_AndRejectsAfter_WhenTheClockMoves()
    {
        var (links, clock) = Create(Issued);
        var token = links.LessonToken(memberId: 5, lessonId: 9);

        clock.Advance(TimeSpan.FromDays(7) - TimeSpan.FromSeconds(1));
        Assert.Equal(5, links.ReadLessonToken(token, 9));

        clock.Advance(TimeSpan.FromSeconds(1)); // exactly the lifetime: expired
        Assert.Null(links.ReadLessonToken(token, 9));

        clock.Advance(TimeSpan.FromDays(400));
        Assert.Null(links.ReadLessonToken(token, 9));

        // Back before the expiry (e.g. a test rewinding its clock): valid again, so only our clock decides.
        clock.Now = Issued.AddDays(1);
        Assert.Equal(5, links.ReadLessonToken(token, 9));
    }

    [Theory]
    [InlineData(2041)]
    [InlineData(2099)]
    [InlineData(2301)]
    public void ReadLessonToken_AcceptsAFreshLink_WhenTheClockIsYearsAheadOfToday(int year)
    {
        var (links, _) = Create(new DateTimeOffset(year, 6, 1, 0, 0, 0, TimeSpan.Zero));
        var token = links.LessonToken(memberId: 3, lessonId: 4);
        Assert.Equal(3, links.ReadLessonToken(token, 4));
    }

    [Fact]
    public void ReadLessonToken_AcceptsAFreshLink_WhenTheClockIsYearsBehindToday()
    {
        var (links, _) = Create(new DateTimeOffset(2001, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var token = links.LessonToken(memberId: 3, lessonId: 4);
        Assert.Equal(3, links.ReadLessonToken(token, 4));
    }

    [Fact]
    public void ReadLessonToken_RejectsAnotherLessonForgedAndTamperedTokens()
    {
        var (links, _) = Create(Issued);
        var token = links.LessonToken(memberId: 5, lessonId: 9);
        Assert.Null(links.ReadLessonToken(token, 10));
        Assert.Null(links.ReadLessonToken("forged", 9));
        Assert.Null(links.ReadLessonToken("", 9));
        Assert.Null(links.ReadLessonToken(null, 9));
        Assert.Null(links.ReadLessonToken(token[..^2] + (token[^2] == 'A' ? "B" : "A") + token[^1], 9));
    }

    [Fact]
    public void ReadLessonToken_RejectsATokenFromAnotherKeyRing()
    {
        var (issuer, _) = Create(Issued);
        var (checker, _) = Create(Issued);
        Assert.Null(checker.ReadLessonToken(issuer.LessonToken(5, 9), 9));
    }

    [Fact]
    public void Lesson_PutsTheTokenOfThatMemberInTheLink()
    {
        var (links, _) = Create(Issued);
        var url = new Uri(links.Lesson(memberId: 8, lessonId: 2));
        Assert.Equal("/m/lessons/2", url.AbsolutePath);
        var token = Uri.UnescapeDataString(url.Query.TrimStart('?')["t=".Length..]);
        Assert.Equal(8, links.ReadLessonToken(token, 2));
    }
}
