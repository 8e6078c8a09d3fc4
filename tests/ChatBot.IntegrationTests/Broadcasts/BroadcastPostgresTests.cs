using ChatBot.Core.Domain;
using ChatBot.Host.Broadcasts;
using Microsoft.EntityFrameworkCore;

namespace ChatBot.IntegrationTests.Broadcasts;

using Delivery = ChatBot.Core.Domain.Delivery;

/// <summary>The same queries on PostgreSQL: audience loading, run key, rows, pause/cancel updates, report and CSV.</summary>
public sealed class BroadcastPostgresTests
{
    [SkippableFact]
    public async Task OnPostgres_PreflightConfirmRunKeyPauseReportCsvCancel()
    {
        await using var h = await BroadcastHarness.StartAsync(postgres: true);
        var id = await h.CreateAsync(h.BranchABody(contentItemId: h.Data.LessonId));
        var preflight = await h.PostAsync($"/api/v1/broadcasts/{id}/preflight");
        Assert.Equal(10, preflight.GetProperty("recipients").GetInt32());
        Assert.Equal(5, preflight.GetProperty("reachable").GetInt32());

        var confirmed = await h.PostAsync($"/api/v1/broadcasts/{id}/confirm", new { });
        var runId = confirmed.GetProperty("runs")[0].GetProperty("id").GetInt32();
        var again = await h.Get<BroadcastRunner>().StartAsync(id, h.Now, CancellationToken.None);
        Assert.False(again!.Created);
        Assert.Equal(runId, again.Run.Id);
        Assert.Equal(10, await h.QueryAsync(db => db.Deliveries.CountAsync(d => d.BroadcastRunId == runId)));

        await h.PostAsync($"/api/v1/broadcasts/{id}/pause");
        Assert.Equal(5, await h.QueryAsync(db => db.Deliveries.CountAsync(d => d.NextAttemptAt == Delivery.HeldNextAttemptAt)));
        await h.PostAsync($"/api/v1/broadcasts/{id}/resume");
        await h.SettleAsync(q => q.Where(d => d.MemberId == h.Data.Members["cs"]), DeliveryStatus.Sent);

        var report = await h.GetJsonAsync($"/api/v1/broadcasts/{id}/report");
        Assert.Equal(1, report.GetProperty("counts").GetProperty("Sent").GetInt32());
        Assert.Equal(4, report.GetProperty("counts").GetProperty("Pending").GetInt32());
        var csv = await h.Client().GetStringAsync($"/api/v1/broadcasts/{id}/report?format=csv");
        Assert.Equal(11, csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);

        await h.PostAsync($"/api/v1/broadcasts/{id}/cancel");
        Assert.Equal(4, await h.QueryAsync(db => db.Deliveries.CountAsync(d => d.SkipReason == "cancelled")));
    }
}
