using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ChatBot.Core.Domain;

namespace ChatBot.IntegrationTests.Admin;

/// <summary>The unanswered list is scoped by the signed-in user, never by anything the caller sends.</summary>
public sealed class UnansweredQuestionsScopeTests : IAsyncLifetime
{
    private ConsoleTestHost _host = null!;
    private long _bOnly;

    public async Task InitializeAsync()
    {
        _host = await ConsoleTestHost.StartAsync();
        var at = _host.Clock.GetUtcNow().UtcDateTime;
        _bOnly = await _host.WithDbAsync(async db =>
        {
            UnansweredQuestion Row(string q, int? organisationId) => new()
            {
                Question = q, Channel = Channel.WeChat, OrganisationId = organisationId, Kind = UnansweredKind.Fallback, AskedAt = at,
            };
            var b = Row("B 支部的问题", _host.BranchB.Id);
            db.UnansweredQuestions.AddRange(Row("A 支部的问题", _host.BranchA.Id), b, Row("未绑定的问题", null));
            await db.SaveChangesAsync();
            return b.Id;
        });
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Secretary_SeesOnlyTheirSubtree_AndCannotResolveAnotherBranchesQuestion()
    {
        var secretary = await _host.SignedInAsync("shuji-a");

        var list = await secretary.GetFromJsonAsync<JsonElement>($"/api/v1/unanswered-questions?status=all&organisationId={_host.BranchB.Id}");

        var questions = list.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("question").GetString()).ToList();
        Assert.Equal(["A 支部的问题"], questions);
        Assert.Equal(1, list.GetProperty("counts").GetProperty("open").GetInt32());
        Assert.Equal(HttpStatusCode.NotFound, (await secretary.PostAsync($"/api/v1/unanswered-questions/{_bOnly}/resolve", null)).StatusCode);
    }

    [Fact]
    public async Task Admin_SeesEveryBranch_AndUnboundSenders()
    {
        var admin = await _host.SignedInAsync("admin");

        var list = await admin.GetFromJsonAsync<JsonElement>("/api/v1/unanswered-questions");

        Assert.Equal(3, list.GetProperty("total").GetInt32());
    }
}
