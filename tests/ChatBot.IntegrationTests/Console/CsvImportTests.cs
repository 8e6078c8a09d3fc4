using System.Text;
using ChatBot.Core.Domain;
using ChatBot.Host.Members;
using Microsoft.EntityFrameworkCore;

namespace ChatBot.IntegrationTests.Console;

/// <summary>CSV import of members: all or nothing, UTF-8 and GBK, idempotent re-import, scoped branches.</summary>
public sealed class CsvImportTests : IAsyncLifetime
{
    private LedgerHost _h = null!;

    public async Task InitializeAsync() => _h = await LedgerHost.StartAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    private static byte[] Utf8(string text, bool bom = true) =>
        bom ? [.. Encoding.UTF8.Preamble, .. Encoding.UTF8.GetBytes(text)] : Encoding.UTF8.GetBytes(text);

    private Task<ImportResult> ImportAsync(byte[] file, bool admin = true) =>
        _h.WithAsync<MemberCsvImporter, ImportResult>(i => i.ImportAsync(admin ? _h.Admin : _h.SecretaryA, file));

    private Task<int> MemberCountAsync() => _h.WithDbAsync(db => db.Members.CountAsync());

    [Fact]
    public async Task OneBadRow_ImportsNothing_AndReportsTheRowAndWhy()
    {
        var before = await MemberCountAsync();
        var file = Utf8("""
            姓名,手机号,所在支部,党员类别,流动党员,经营户名称
            赵一,13900000011,东区商圈党支部,正式党员,否,赵一百货
            钱二,1390000,东区商圈党支部,预备党员,是,
            孙三,13900000013,东区联建党支部,入党积极分子,,
            """);

        var result = await ImportAsync(file);

        Assert.False(result.Applied);
        var problem = Assert.Single(result.Problems);
        Assert.Equal(3, problem.Row);
        Assert.Contains("手机号", problem.Reason);
        Assert.Equal(before, await MemberCountAsync());
        Assert.False(await _h.WithDbAsync(db => db.Members.AnyAsync(m => m.Name == "赵一" || m.Name == "孙三")));
        Assert.False(await _h.WithDbAsync(db => db.AuditEntries.AnyAsync()));
    }

    [Fact]
    public async Task EveryKindOfBadRow_IsReportedWithItsRowNumber()
    {
        var file = Utf8("""
            姓名,手机号,所在支部,党员类别,流动党员
            ,13900000021,东区商圈党支部,正式党员,否
            周二,13900000022,不存在的支部,正式党员,否
            吴三,13900000023,东区商圈党支部,群众,否
            郑四,13900000024,东区商圈党支部,正式党员,也许
            王五,13900000025,东区商圈党支部,正式党员,否
            王五,13900000025,东区商圈党支部,正式党员,否
            冯六,13900000026,测试个私党委,正式党员,否
            """);

        var result = await ImportAsync(file);

        Assert.False(result.Applied);
        var rows = result.Problems.ToDictionary(p => p.Row, p => p.Reason);
        Assert.Contains("缺少姓名", rows[2]);
        Assert.Contains("不存在", rows[3]);
        Assert.Contains("党员类别", rows[4]);
        Assert.Contains("流动党员", rows[5]);
        Assert.Contains("与第 6 行重复", rows[7]);
        Assert.Contains("党委", rows[8]);
        Assert.False(rows.ContainsKey(6));
    }

    [Fact]
    public async Task GbkFile_IsDecodedAndImported()
    {
        var gbk = MemberCsv.Gbk.GetBytes("姓名,手机号,所在支部,党员类别\r\n欧阳娜,13900000031,西区协会分会党支部,预备党员\r\n");

        var result = await ImportAsync(gbk);

        Assert.True(result.Applied, string.Join("; ", result.Problems.Select(p => p.Reason)));
        Assert.Equal(1, result.Created);
        var member = await _h.WithDbAsync(db => db.Members.SingleAsync(m => m.Phone == "13900000031"));
        Assert.Equal("欧阳娜", member.Name);
        Assert.Equal(MemberStatus.Probationary, member.Status);
        Assert.Equal(_h.B.Id, member.OrganisationId);
    }

    [Fact]
    public async Task ReimportingTheSameFile_ChangesNothing()
    {
        // Matches existing members by phone (王建国) and by name + branch without a phone (陈明), adds one new member.
        var file = Utf8("""
            姓名,手机号,所在支部,党员类别,流动党员,经营户名称
            王建国,13800000001,东区商圈党支部,正式党员,是,建国五金
            陈明,,西区协会分会党支部,正式党员,否,
            新成员,13900000041,东区联建党支部,正式党员,否,
            """, bom: false);

        var first = await ImportAsync(file);
        Assert.True(first.Applied);
        Assert.Equal((1, 1, 1), (first.Created, first.Updated, first.Unchanged));
        var count = await MemberCountAsync();
        var audits = await _h.WithDbAsync(db => db.AuditEntries.CountAsync());

        var second = await ImportAsync(file);

        Assert.True(second.Applied);
        Assert.Equal((0, 0, 3), (second.Created, second.Updated, second.Unchanged));
        Assert.Equal(count, await MemberCountAsync());
        Assert.Equal(audits, await _h.WithDbAsync(db => db.AuditEntries.CountAsync()));
        Assert.True(await _h.WithDbAsync(db => db.Members.Where(m => m.Id == _h.AMember.Id).Select(m => m.IsMobile).SingleAsync()));
    }

    [Fact]
    public async Task ExportedFile_ReimportsWithoutChanges()
    {
        var rows = await _h.WithAsync<MemberLedgerService, IReadOnlyList<MemberRow>>(s => s.ListAllAsync(_h.Admin, new MemberFilter()));
        var result = await ImportAsync(MemberCsv.Write(rows));
        Assert.True(result.Applied, string.Join("; ", result.Problems.Select(p => $"{p.Row}: {p.Reason}")));
        Assert.Equal((0, 0, rows.Count), (result.Created, result.Updated, result.Unchanged));
    }

    [Fact]
    public async Task Secretary_CannotImportIntoABranchOutsideTheirScope()
    {
        var file = Utf8("姓名,手机号,所在支部\n何七,13900000051,西区协会分会党支部\n冯八,13800000004,东区商圈党支部\n");

        var result = await ImportAsync(file, admin: false);

        Assert.False(result.Applied);
        Assert.Contains("不在您的管理范围内", result.Problems.Single(p => p.Row == 2).Reason);
        // 13800000004 belongs to 刘芳 in branch B: the secretary of A may not claim or overwrite her.
        Assert.Contains("管理范围以外", result.Problems.Single(p => p.Row == 3).Reason);
        Assert.False(await _h.WithDbAsync(db => db.Members.AnyAsync(m => m.Name == "何七")));
    }

    [Fact]
    public async Task MissingHeader_IsRefusedAsAWhole()
    {
        var result = await ImportAsync(Utf8("名字,电话\n张三,13900000061\n"));
        Assert.False(result.Applied);
        Assert.Equal(1, Assert.Single(result.Problems).Row);
    }
}
