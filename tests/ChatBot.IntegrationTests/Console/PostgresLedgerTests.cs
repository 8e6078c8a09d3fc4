using System.Text;
using ChatBot.Host.Dashboard;
using ChatBot.Host.Members;
using ChatBot.Host.Organisations;
using Microsoft.EntityFrameworkCore;

namespace ChatBot.IntegrationTests.Console;

/// <summary>The same ledger rules on PostgreSQL: the import's transaction, subtree moves and scoped prefix queries.</summary>
public sealed class PostgresLedgerTests : IAsyncLifetime
{
    private LedgerHost? _h;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_h is not null) await _h.DisposeAsync();
    }

    [SkippableFact]
    public async Task Import_IsAllOrNothing_AndIdempotent_OnPostgres()
    {
        _h = await LedgerHost.StartAsync(postgres: true);
        var bad = Encoding.UTF8.GetBytes("姓名,手机号,所在支部\n赵一,13900000011,东区商圈党支部\n钱二,12,东区商圈党支部\n");
        var refused = await _h.WithAsync<MemberCsvImporter, ImportResult>(i => i.ImportAsync(_h.Admin, bad));
        Assert.False(refused.Applied);
        Assert.Equal(3, Assert.Single(refused.Problems).Row);
        Assert.False(await _h.WithDbAsync(db => db.Members.AnyAsync(m => m.Name == "赵一")));

        var good = MemberCsv.Gbk.GetBytes("姓名,手机号,所在支部,流动党员\n赵一,13900000011,东区商圈党支部,是\n陈明,,西区协会分会党支部,否\n");
        var first = await _h.WithAsync<MemberCsvImporter, ImportResult>(i => i.ImportAsync(_h.Admin, good));
        var second = await _h.WithAsync<MemberCsvImporter, ImportResult>(i => i.ImportAsync(_h.Admin, good));
        Assert.Equal((1, 0, 1), (first.Created, first.Updated, first.Unchanged));
        Assert.Equal((0, 0, 2), (second.Created, second.Updated, second.Unchanged));
    }

    [SkippableFact]
    public async Task MoveAndScope_OnPostgres()
    {
        _h = await LedgerHost.StartAsync(postgres: true);
        await _h.WithAsync<OrganisationTreeService, object?>(async t => await t.MoveAsync(_h.Admin, _h.A1.Id, _h.B.Id));
        Assert.Equal(_h.B.TreePath.Child(_h.A1.Id).Value, await _h.WithDbAsync(db => db.Organisations.Where(o => o.Id == _h.A1.Id).Select(o => o.Path).SingleAsync()));

        var members = await _h.WithAsync<MemberLedgerService, MemberPage>(m => m.SearchAsync(_h.SecretaryA, new MemberFilter(), 1));
        Assert.Equal(["李秀兰", "王建国"], members.Rows.Select(r => r.Name).Order(StringComparer.Ordinal).ToArray());
        Assert.Empty((await _h.WithAsync<MemberLedgerService, MemberPage>(m => m.SearchAsync(_h.SecretaryA, new MemberFilter { OrganisationId = _h.A1.Id }, 1))).Rows);
        var dashboard = await _h.WithAsync<DashboardService, DashboardView>(d => d.GetAsync(_h.SecretaryA));
        Assert.Equal(["东区商圈党支部"], dashboard.Branches.Select(b => b.Name).ToArray());
    }
}
