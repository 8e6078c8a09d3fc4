using System.Text.Json;
using ChatBot.Core.Domain;
using ChatBot.Host.Dashboard;
using ChatBot.Host.GroupChats;
using ChatBot.Host.Ledger;
using ChatBot.Host.Members;
using ChatBot.Host.Organisations;
using Microsoft.EntityFrameworkCore;

namespace ChatBot.IntegrationTests.Console;

/// <summary>Moving organisations, 组织关系转接, binding codes, and the scope of a branch secretary in every service.</summary>
public sealed class LedgerRulesTests : IAsyncLifetime
{
    private LedgerHost _h = null!;

    public async Task InitializeAsync() => _h = await LedgerHost.StartAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    private Task<T> Tree<T>(Func<OrganisationTreeService, Task<T>> work) => _h.WithAsync(work);
    private Task<T> Members<T>(Func<MemberLedgerService, Task<T>> work) => _h.WithAsync(work);

    [Fact]
    public async Task Move_RewritesTheWholeSubtreesPaths_AndIsAudited()
    {
        var grandchild = await Tree(t => t.AddChildAsync(_h.Admin, _h.A1.Id, "东区联建第一党小组支部", OrganisationKind.EnterpriseBranch));

        await Tree(t => t.MoveAsync(_h.Admin, _h.A1.Id, _h.B.Id));

        var paths = await _h.WithDbAsync(db => db.Organisations.ToDictionaryAsync(o => o.Id, o => o.Path));
        Assert.Equal(_h.B.TreePath.Child(_h.A1.Id).Value, paths[_h.A1.Id]);
        Assert.Equal(_h.B.TreePath.Child(_h.A1.Id).Child(grandchild!.Id).Value, paths[grandchild.Id]);
        Assert.Equal(_h.B.Id, await _h.WithDbAsync(db => db.Organisations.Where(o => o.Id == _h.A1.Id).Select(o => o.ParentId).SingleAsync()));
        // The member of A1 now counts in B's subtree, not A's.
        var inA = await Members(m => m.SearchAsync(_h.SecretaryA, new MemberFilter(), 1));
        Assert.DoesNotContain(inA.Rows, r => r.Id == _h.A1Member.Id);
        var audit = await _h.WithDbAsync(db => db.AuditEntries.SingleAsync(a => a.Action == "organisation.move"));
        Assert.Equal("admin", audit.Actor);
        Assert.Contains("东区商圈党支部", audit.Before);
        Assert.Contains("西区协会分会党支部", audit.After);
        Assert.Equal(_h.B.TreePath.Child(_h.A1.Id).Value, audit.OrganisationPath);
    }

    [Fact]
    public async Task Move_UnderItsOwnDescendant_IsRefused_AndChangesNothing()
    {
        var ex = await Assert.ThrowsAsync<LedgerRuleException>(() => Tree(t => t.MoveAsync(_h.Admin, _h.A.Id, _h.A1.Id)));
        Assert.Contains("下级", ex.Message);
        await Assert.ThrowsAsync<LedgerRuleException>(() => Tree(t => t.MoveAsync(_h.Admin, _h.A.Id, _h.A.Id)));
        await Assert.ThrowsAsync<LedgerRuleException>(() => Tree(t => t.MoveAsync(_h.Admin, _h.Committee.Id, _h.B.Id)));
        Assert.Equal(_h.A.TreePath.Child(_h.A1.Id).Value, await _h.WithDbAsync(db => db.Organisations.Where(o => o.Id == _h.A1.Id).Select(o => o.Path).SingleAsync()));
    }

    [Fact]
    public async Task Secretary_CannotMoveOutOfOrIntoOtherScopes()
    {
        // Under B (outside A's scope): not found, as if B did not exist.
        Assert.Null(await Tree(t => t.MoveAsync(_h.SecretaryA, _h.A1.Id, _h.B.Id)));
        // Their own root: would leave the scope.
        await Assert.ThrowsAsync<LedgerRuleException>(() => Tree(t => t.MoveAsync(_h.SecretaryA, _h.A.Id, _h.A1.Id)));
        Assert.Null(await Tree(t => t.AddChildAsync(_h.SecretaryA, _h.B.Id, "越权支部", OrganisationKind.EnterpriseBranch)));
        Assert.Null(await Tree(t => t.UpdateAsync(_h.SecretaryA, _h.B.Id, "改名", OrganisationKind.AssociationBranch)));
        Assert.Equal(_h.A.TreePath.Child(_h.A1.Id).Value, await _h.WithDbAsync(db => db.Organisations.Where(o => o.Id == _h.A1.Id).Select(o => o.Path).SingleAsync()));
    }

    [Fact]
    public async Task Transfer_MovesTheMember_AndAuditsBeforeAndAfter()
    {
        await Members(m => m.TransferAsync(_h.Admin, _h.AMember.Id, _h.B.Id, "经营地迁至西区"));

        Assert.Equal(_h.B.Id, await _h.WithDbAsync(db => db.Members.Where(m => m.Id == _h.AMember.Id).Select(m => m.OrganisationId).SingleAsync()));
        var audit = await _h.WithDbAsync(db => db.AuditEntries.SingleAsync(a => a.Action == "member.transfer"));
        Assert.Equal(_h.AMember.Id.ToString(), audit.EntityId);
        using var before = JsonDocument.Parse(audit.Before!);
        using var after = JsonDocument.Parse(audit.After!);
        Assert.Equal(_h.A.Id, before.RootElement.GetProperty("OrganisationId").GetInt32());
        Assert.Equal(_h.B.Id, after.RootElement.GetProperty("OrganisationId").GetInt32());
        Assert.Equal(_h.Committee.Path, audit.OrganisationPath);
        await Assert.ThrowsAsync<LedgerRuleException>(() => Members(m => m.TransferAsync(_h.Admin, _h.AMember.Id, _h.B.Id, null)));
        await Assert.ThrowsAsync<LedgerRuleException>(() => Members(m => m.TransferAsync(_h.Admin, _h.AMember.Id, _h.Committee.Id, null)));
    }

    [Fact]
    public async Task Secretary_CannotTransferIntoOrOutOfOtherBranches()
    {
        Assert.Null(await Members(m => m.TransferAsync(_h.SecretaryA, _h.AMember.Id, _h.B.Id, null)));
        Assert.Null(await Members(m => m.TransferAsync(_h.SecretaryA, _h.BMember.Id, _h.A.Id, null)));
        Assert.NotNull(await Members(m => m.TransferAsync(_h.SecretaryA, _h.AMember.Id, _h.A1.Id, null)));
        Assert.Equal(_h.B.Id, await _h.WithDbAsync(db => db.Members.Where(m => m.Id == _h.BMember.Id).Select(m => m.OrganisationId).SingleAsync()));
    }

    [Fact]
    public async Task Secretary_GetsNothingOfAnotherBranchById_AndListsOnlyTheirSubtree()
    {
        var s = _h.SecretaryA;
        Assert.Null(await Members(m => m.GetAsync(s, _h.BMember.Id)));
        Assert.Null(await Members(m => m.UpdateAsync(s, _h.BMember.Id, new MemberInput { Name = "改名" })));
        Assert.Null(await Members(m => m.SetArchivedAsync(s, _h.BMember.Id, true)));
        Assert.Null(await Tree(t => t.FindAsync(s, _h.B.Id)));
        Assert.Null(await _h.WithAsync<GroupChatConsoleService, GroupChatConsoleRow?>(g => g.GetAsync(s, _h.BChat.Id)));
        Assert.Null(await _h.WithAsync<GroupChatConsoleService, GroupPushEnqueueResult?>(g => g.SendTestAsync(s, _h.BChat.Id)));
        Assert.Null(await _h.WithAsync<GroupChatConsoleService, GroupChatSettingsView?>(g => g.UpdateAsync(s, _h.BChat.Id, new GroupChatSettingsUpdate { Muted = true })));
        Assert.Null(await _h.WithAsync<BindingCodeService, BindingCode?>(b => b.IssueForMemberAsync(s, _h.BMember.Id, 7)));
        Assert.Null(await _h.WithAsync<BindingCodeService, IReadOnlyList<BindingCode>?>(b => b.IssueForBranchAsync(s, _h.B.Id, 7)));

        var members = await Members(m => m.SearchAsync(s, new MemberFilter(), 1));
        Assert.Equal(new[] { "李秀兰", "王建国", "张伟" }.Order(StringComparer.Ordinal), members.Rows.Select(r => r.Name).Order(StringComparer.Ordinal));
        // Asking for B's members by filter gives an empty list, not B's members.
        Assert.Empty((await Members(m => m.SearchAsync(s, new MemberFilter { OrganisationId = _h.B.Id }, 1))).Rows);
        Assert.Equal([_h.A.Id, _h.A1.Id], (await Tree(t => t.ListAsync(s))).Select(o => o.Id).ToArray());
        var chats = await _h.WithAsync<GroupChatConsoleService, IReadOnlyList<GroupChatConsoleRow>>(g => g.ListAsync(s, null));
        Assert.Equal([_h.AChat.Id], chats.Select(c => c.Settings.Id).ToArray());
        var dashboard = await _h.WithAsync<DashboardService, DashboardView>(d => d.GetAsync(s));
        Assert.Equal(["东区商圈党支部", "东区联建党支部"], dashboard.Branches.Select(b => b.Name).ToArray());
        Assert.Empty(dashboard.BrokenChats);
        Assert.Equal(0, await _h.WithDbAsync(db => db.AuditEntries.CountAsync()));
    }

    [Fact]
    public async Task Secretary_SeesMaskedPhones_AdminSeesFullOnes()
    {
        var secretary = await Members(m => m.GetAsync(_h.SecretaryA, _h.AMember.Id));
        var admin = await Members(m => m.GetAsync(_h.Admin, _h.AMember.Id));
        Assert.Equal("138****0001", secretary!.Phone);
        Assert.Equal("13800000001", admin!.Phone);
        // Searching by digits still works for a secretary.
        Assert.Single((await Members(m => m.SearchAsync(_h.SecretaryA, new MemberFilter { Search = "0001" }, 1))).Rows);
        // Saving the masked number back keeps the stored one.
        await Members(m => m.UpdateAsync(_h.SecretaryA, _h.AMember.Id, new MemberInput { Name = "王建国", Phone = "138****0001", BusinessName = "建国五金店" }));
        Assert.Equal("13800000001", await _h.WithDbAsync(db => db.Members.Where(m => m.Id == _h.AMember.Id).Select(m => m.Phone).SingleAsync()));
    }

    [Fact]
    public async Task BindingCodes_ForABranch_SkipBoundMembers_FollowTheBindRules_AndReplaceEarlierCodes()
    {
        await _h.WithDbAsync(async db =>
        {
            db.ChannelIdentities.Add(new ChannelIdentity { Channel = Channel.WeChat, ExternalId = "wx-bound", MemberId = _h.AMember.Id, State = BindingState.Bound });
            return await db.SaveChangesAsync();
        });
        var first = await _h.WithAsync<BindingCodeService, BindingCode?>(b => b.IssueForMemberAsync(_h.Admin, _h.A1Member.Id, 7));

        var codes = await _h.WithAsync<BindingCodeService, IReadOnlyList<BindingCode>?>(b => b.IssueForBranchAsync(_h.SecretaryA, _h.A.Id, 14));

        // 李秀兰 (A) and 张伟 (A1); 王建国 is bound already.
        Assert.Equal(2, codes!.Count);
        Assert.DoesNotContain(codes, c => c.MemberId == _h.AMember.Id);
        Assert.All(codes, c => Assert.Matches("^[A-Z0-9]{4,12}$", c.Code));
        var usable = await _h.WithAsync<BindingCodeService, IReadOnlyList<BindingCodeRow>>(b => b.ListAsync(_h.SecretaryA, null, _h.A1Member.Id, usableOnly: true));
        Assert.Equal(codes.Single(c => c.MemberId == _h.A1Member.Id).Code, Assert.Single(usable).Code);
        Assert.NotEqual(first!.Code, usable[0].Code);

        await _h.WithAsync<BindingCodeService, BindingCode?>(b => b.ExpireAsync(_h.SecretaryA, usable[0].Id));
        Assert.Empty(await _h.WithAsync<BindingCodeService, IReadOnlyList<BindingCodeRow>>(b => b.ListAsync(_h.SecretaryA, null, _h.A1Member.Id, usableOnly: true)));
        Assert.Contains("<svg", BindingSheet.QrSvg(BindingSheet.Instruction(usable[0].Code)));
    }

    [Fact]
    public async Task Dashboard_CountsBoundUnreachableAndBrokenChats()
    {
        await _h.WithDbAsync(async db =>
        {
            db.ChannelIdentities.Add(new ChannelIdentity { Channel = Channel.WeChat, ExternalId = "wx-1", MemberId = _h.AMember.Id, State = BindingState.Bound, Subscribed = false });
            return await db.SaveChangesAsync();
        });
        var view = await _h.WithAsync<DashboardService, DashboardView>(d => d.GetAsync(_h.Admin));
        var a = view.Branches.Single(b => b.OrganisationId == _h.A.Id);
        Assert.Equal((2, 1, 1, 1), (a.Members, a.Bound, a.Unbound, a.Unsubscribed));
        Assert.Equal(_h.BChat.Id, Assert.Single(view.BrokenChats).Id);
        Assert.Equal(DashboardService.MonthDays, view.Month.Count);
    }
}
