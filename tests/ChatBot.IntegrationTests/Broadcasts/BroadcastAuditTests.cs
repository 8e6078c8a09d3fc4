using ChatBot.Core.Domain;
using ChatBot.Host.Broadcasts;
using Microsoft.EntityFrameworkCore;

namespace ChatBot.IntegrationTests.Broadcasts;

/// <summary>Every broadcast change made through the API writes its audit entry (the console uses the same service).</summary>
public sealed class BroadcastAuditTests
{
    [Fact]
    public async Task CreateConfirmPauseResumeCancelResend_EachWriteAnAuditEntry()
    {
        await using var h = await BroadcastHarness.StartAsync();
        var id = await h.CreateAsync(h.BranchABody(groupChats: false));
        await h.PostAsync($"/api/v1/broadcasts/{id}/confirm", new { });
        await h.PostAsync($"/api/v1/broadcasts/{id}/pause");
        await h.PostAsync($"/api/v1/broadcasts/{id}/resume");
        await h.SettleAsync(q => q.Where(d => d.MemberId == h.Data.Members["cs"]), DeliveryStatus.Failed, "45015 response out of time limit");
        await h.SettleAsync(q => q.Where(d => d.Status == DeliveryStatus.Pending), DeliveryStatus.Sent);
        await h.PostAsync($"/api/v1/broadcasts/{id}/resend-failed", new { }, System.Net.HttpStatusCode.Created);

        var second = await h.CreateAsync(h.BranchABody(groupChats: false, title: "第二条"));
        await h.PostAsync($"/api/v1/broadcasts/{second}/cancel");

        var entries = await h.QueryAsync(db => db.AuditEntries.Where(a => a.EntityType == "Broadcast").OrderBy(a => a.Id)
            .Select(a => new { a.Action, a.EntityId, a.Actor, a.OrganisationPath }).ToListAsync());
        Assert.Equal(
            [BroadcastAuditActions.Create, BroadcastAuditActions.Confirm, BroadcastAuditActions.Pause, BroadcastAuditActions.Resume,
                BroadcastAuditActions.Resend, BroadcastAuditActions.Create, BroadcastAuditActions.Cancel],
            entries.Select(e => e.Action).ToArray());
        Assert.All(entries.Take(5), e => Assert.Equal(id.ToString(), e.EntityId));
        Assert.All(entries.Skip(5), e => Assert.Equal(second.ToString(), e.EntityId));
        Assert.All(entries, e => Assert.Equal("apikey:test", e.Actor)); // the API key principal's actor: apikey:<key name>
        var branchPath = await h.QueryAsync(db => db.Organisations.Where(o => o.Id == h.Data.BranchA).Select(o => o.Path).SingleAsync());
        Assert.All(entries, e => Assert.Equal(branchPath, e.OrganisationPath));
    }

    [Fact]
    public async Task Report_FiltersByStatus_AndRejectsAnUnknownStatus()
    {
        await using var h = await BroadcastHarness.StartAsync();
        var id = await h.CreateAsync(h.BranchABody(groupChats: false));
        await h.PostAsync($"/api/v1/broadcasts/{id}/confirm", new { });
        var skipped = await h.GetJsonAsync($"/api/v1/broadcasts/{id}/report?status=Skipped");
        var rows = skipped.GetProperty("rows").EnumerateArray().ToList();
        Assert.NotEmpty(rows);
        Assert.All(rows, r => Assert.Equal("Skipped", r.GetProperty("status").GetString()));
        Assert.Equal(skipped.GetProperty("counts").GetProperty("Skipped").GetInt32(), skipped.GetProperty("total").GetInt32());
        var bad = await h.Client().GetAsync($"/api/v1/broadcasts/{id}/report?status=Nope");
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("status", await bad.Content.ReadAsStringAsync());
    }
}
