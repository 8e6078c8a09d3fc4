using System.Net;
using ChatBot.Core.Conversation;
using ChatBot.Core.Domain;
using ChatBot.Host.Admin;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ChatBot.IntegrationTests.Conversation;

/// <summary>
/// Guessing binding codes, name + phone pairs and check-in codes, sent as real POST /wechat requests to the host.
/// Each test asserts that no guess got through: nothing bound, no pending request for a member, no check-in.
/// </summary>
public sealed class GuessingLimitTests : IAsyncLifetime
{
    private EngineHarness _h = null!;

    public async Task InitializeAsync() => _h = await EngineHarness.StartSqliteAsync(EngineHarness.WeChatPlain);

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task Bind_StaysCooledDown_WhenPendingAnswersAreMixedIntoWrongCodes()
    {
        var code = await AddCodeAsync("RIGHT1", _h.Data.Members[1].Id);
        // Formerly any "pending" answer reset the count, so wrong codes could be tried without end.
        for (var round = 0; round < 2; round++)
        {
            Assert.Contains("绑定码不正确", (await _h.PostWeChatAsync("oGuesser", "绑定 WRONG" + round)).Reply);
            Assert.Contains("支部书记确认", (await _h.PostWeChatAsync("oGuesser", "绑定 刘芳 13800000003")).Reply);
        }
        Assert.Contains("绑定码不正确", (await _h.PostWeChatAsync("oGuesser", "绑定 WRONG9")).Reply);

        var cooled = await _h.PostWeChatAsync("oGuesser", "绑定 " + code);

        Assert.Equal(HttpStatusCode.OK, cooled.Status);
        Assert.Contains("尝试次数过多", cooled.Reply);
        Assert.False(await IsBoundAsync("oGuesser"));
    }

    [Fact]
    public async Task Bind_AnswersAlike_WhetherNameAndPhoneMatchAMember()
    {
        var matching = await _h.PostWeChatAsync("oReal", "绑定 刘芳 13800000003");
        var guessed = await _h.PostWeChatAsync("oProbe", "绑定 刘芳 13900000000");
        var matchingLater = await _h.PostWeChatAsync("oReal", "积分");
        var guessedLater = await _h.PostWeChatAsync("oProbe", "积分");

        Assert.Equal(matching.Reply, guessed.Reply);
        Assert.Equal(matchingLater.Reply, guessedLater.Reply);
        await using var scope = _h.Services.CreateAsyncScope();
        var pending = await scope.ServiceProvider.GetRequiredService<BindingReviewService>().ListPendingAsync(
            new OrganisationScope("test", AdminRole.Admin, 0, OrganisationPath.Root), null, default);
        var only = Assert.Single(pending);
        Assert.Equal("刘芳", only.MemberName);
    }

    [Fact]
    public async Task Bind_CoolsDownTheName_WhenManyAccountsEachGuessOnePhone()
    {
        for (var i = 0; i < GuessLimiter.MaxAttemptsPerTarget; i++)
            await _h.PostWeChatAsync($"oSybil{i}", $"绑定 刘芳 1390000{i:0000}");

        var right = await _h.PostWeChatAsync("oSybilLast", "绑定 刘芳 13800000003");

        Assert.Contains("尝试次数过多", right.Reply);
        var linked = await _h.WithDbAsync(db => db.ChannelIdentities.CountAsync(i => i.MemberId == _h.Data.Members[3].Id));
        Assert.Equal(0, linked);
    }

    [Fact]
    public async Task Bind_CountsEveryParallelGuess_WhenTwentyArriveAtOnce()
    {
        var code = await AddCodeAsync("RIGHT2", _h.Data.Members[2].Id);
        var client = _h.CreateClient();

        var replies = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => _h.PostWeChatAsync("oBurst", $"绑定 BURST{i:00}", client)));
        var right = await _h.PostWeChatAsync("oBurst", "绑定 " + code, client);

        // Twenty tries at once: exactly five are tried, the rest (and the right code after them) see the cool-down.
        Assert.Equal(GuessLimiter.MaxAttemptsPerSender, replies.Count(r => r.Reply.Contains("绑定码不正确", StringComparison.Ordinal)));
        Assert.Equal(20 - GuessLimiter.MaxAttemptsPerSender, replies.Count(r => r.Reply.Contains("尝试次数过多", StringComparison.Ordinal)));
        Assert.Contains("尝试次数过多", right.Reply);
        Assert.False(await IsBoundAsync("oBurst"));
    }

    [Fact]
    public async Task CheckIn_CoolsDown_AfterFiveWrongCodes()
    {
        await _h.BindAsync("m0", _h.Data.Members[0].Id);
        _h.Time.SetUtcNow(new DateTimeOffset(_h.Data.SmallActivity.StartsAt, TimeSpan.Zero));
        for (var i = 0; i < GuessLimiter.MaxAttemptsPerSender; i++)
            Assert.Contains("签到码不正确", (await _h.PostWeChatAsync("m0", $"签到 00000{i}")).Reply);

        var right = (await _h.PostWeChatAsync("m0", "签到 " + _h.Data.SmallActivity.CheckInCode)).Reply;

        Assert.Contains("尝试次数过多", right);
        var status = await _h.WithDbAsync(db => db.SignUps.Where(s => s.ActivityId == _h.Data.SmallActivity.Id && s.MemberId == _h.Data.Members[0].Id)
            .Select(s => (SignUpStatus?)s.Status).SingleOrDefaultAsync());
        Assert.NotEqual(SignUpStatus.CheckedIn, status);
    }

    [Fact]
    public async Task CheckIn_AnswersCodeNotFound_WhenCodeBelongsToAnotherBranch()
    {
        var now = _h.Time.GetUtcNow().UtcDateTime;
        var other = await _h.WithDbAsync(async db =>
        {
            var branch = new Organisation { Name = "别的支部", Kind = OrganisationKind.MarketBranch, ParentId = _h.Data.Committee.Id, CreatedAt = now };
            db.Organisations.Add(branch);
            await db.SaveChangesAsync();
            branch.Path = $"{_h.Data.Committee.Path}{branch.Id}/";
            var activity = new Activity
            {
                OrganisationId = branch.Id, Kind = ActivityKind.ThemeDay, Title = "别的支部的活动", Location = "别处",
                StartsAt = now, EndsAt = now.AddHours(1), SignUpDeadline = now, CheckInCode = "975310", CreatedAt = now,
            };
            db.Activities.Add(activity);
            await db.SaveChangesAsync();
            return activity.Id;
        });
        await _h.BindAsync("oMember", _h.Data.Members[0].Id);

        var (status, reply) = await _h.PostWeChatAsync("oMember", "签到 975310");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("签到码不正确", reply);
        Assert.False(await _h.WithDbAsync(db => db.SignUps.AnyAsync(s => s.ActivityId == other)));
    }

    private Task<string> AddCodeAsync(string code, int memberId) => _h.WithDbAsync(async db =>
    {
        db.BindingCodes.Add(new BindingCode { Code = code, MemberId = memberId, ExpiresAt = _h.Time.GetUtcNow().UtcDateTime.AddDays(1), CreatedAt = _h.Time.GetUtcNow().UtcDateTime });
        await db.SaveChangesAsync();
        return code;
    });

    private Task<bool> IsBoundAsync(string openId) =>
        _h.WithDbAsync(db => db.ChannelIdentities.AnyAsync(i => i.ExternalId == openId && i.State == BindingState.Bound));
}
