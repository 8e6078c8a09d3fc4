using ChatBot.Core.Domain;
using ChatBot.Host.Admin;
using ChatBot.Host.Data;
using ChatBot.Host.Ledger;
using CsvHelper;
using Microsoft.EntityFrameworkCore;

namespace ChatBot.Host.Members;

/// <param name="Row">Line of the file as a spreadsheet numbers it: the header is row 1, the first member row 2.</param>
public sealed record ImportProblem(int Row, string Reason);

public sealed record ImportResult(bool Applied, int Created, int Updated, int Unchanged, IReadOnlyList<ImportProblem> Problems)
{
    public static ImportResult Refused(params ImportProblem[] problems) => new(false, 0, 0, 0, problems);
}

/// <summary>
/// Imports members from CSV, all or nothing: every row is checked first; one bad row and nothing is written, and the
/// report lists each bad row and why. A good file is applied in one transaction.
/// Matching (so re-importing a file changes nothing): a row with a phone matches the member with that phone; a row
/// without one, or whose phone is new, matches the member of the same name in the same branch that has no phone
/// (or, without a phone in the row, any one member of that name there). Matched members are updated where the row
/// differs; blank cells keep what is stored. Import never moves a member between branches (that is 组织关系转接).
/// </summary>
public sealed class MemberCsvImporter(ChatBotDbContext db, AuditLog audit, TimeProvider time)
{
    private sealed record ParsedRow(int Row, string Name, string? Phone, Organisation Branch, MemberStatus? Status, bool? Mobile, string? Business);

    public async Task<ImportResult> ImportAsync(OrganisationScope scope, byte[] content, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (content.Length == 0) return ImportResult.Refused(new ImportProblem(0, "文件是空的。"));
        if (content.Length > MemberCsv.MaxBytes) return ImportResult.Refused(new ImportProblem(0, "文件超过 2 MB，请分批导入。"));

        var (records, fileProblem) = Read(MemberCsv.Decode(content));
        if (fileProblem is not null) return ImportResult.Refused(fileProblem);

        var problems = new List<ImportProblem>();
        var organisations = await db.Organisations.AsNoTracking().ToListAsync(ct);
        var parsed = new List<ParsedRow>();
        foreach (var (row, cells) in records)
        {
            var reasons = new List<string>();
            var name = cells.GetValueOrDefault(MemberCsv.Name)?.Trim() ?? "";
            if (name.Length == 0) reasons.Add("缺少姓名");
            else if (name.Length > 50) reasons.Add("姓名超过 50 个字");

            var phone = MemberLedgerService.NormalisePhone(cells.GetValueOrDefault(MemberCsv.Phone));
            if (phone is not null && !MemberLedgerService.IsValidPhone(phone)) reasons.Add($"手机号“{phone}”格式不对（应为 11 位数字，以 1 开头）");

            var branchName = cells.GetValueOrDefault(MemberCsv.Branch)?.Trim() ?? "";
            Organisation? branch = null;
            if (branchName.Length == 0) reasons.Add("缺少所在支部");
            else
            {
                var named = organisations.Where(o => o.Name == branchName).ToList();
                var inScope = named.Where(scope.Contains).ToList();
                if (named.Count == 0) reasons.Add($"支部“{branchName}”不存在");
                else if (inScope.Count == 0) reasons.Add($"支部“{branchName}”不在您的管理范围内");
                else if (inScope.Count > 1) reasons.Add($"支部名称“{branchName}”有重名，无法确定是哪一个");
                else if (inScope[0].Kind == OrganisationKind.Committee) reasons.Add($"“{branchName}”是党委，党员须隶属于党支部");
                else branch = inScope[0];
            }

            MemberStatus? status = null;
            var statusText = cells.GetValueOrDefault(MemberCsv.Status)?.Trim();
            if (!string.IsNullOrEmpty(statusText))
            {
                if (LedgerLabels.TryParseStatus(statusText, out var s)) status = s;
                else reasons.Add($"党员类别“{statusText}”无效（应为 正式党员、预备党员 或 入党积极分子）");
            }

            bool? mobile = null;
            try { mobile = MemberCsv.ParseYesNo(cells.GetValueOrDefault(MemberCsv.Mobile)); }
            catch (FormatException) { reasons.Add($"流动党员“{cells[MemberCsv.Mobile]}”无效（应为 是 或 否）"); }

            var business = cells.GetValueOrDefault(MemberCsv.Business)?.Trim();
            if (business?.Length > 200) reasons.Add("经营户名称超过 200 个字");

            if (reasons.Count > 0) problems.Add(new ImportProblem(row, string.Join("；", reasons)));
            else parsed.Add(new ParsedRow(row, name, phone, branch!, status, mobile, string.IsNullOrEmpty(business) ? null : business));
        }

        // The same person twice in one file: by phone, or by name + branch when the row has no phone.
        foreach (var group in parsed.GroupBy(p => p.Phone is not null ? "phone:" + p.Phone : $"name:{p.Branch.Id}:{p.Name}").Where(g => g.Count() > 1))
        {
            var first = group.First();
            foreach (var dup in group.Skip(1))
                problems.Add(new ImportProblem(dup.Row, first.Phone is not null
                    ? $"与第 {first.Row} 行重复（同一手机号）"
                    : $"与第 {first.Row} 行重复（同一支部同名且都没有手机号）"));
        }

        var branchIds = parsed.Select(p => p.Branch.Id).Distinct().ToList();
        var phones = parsed.Where(p => p.Phone is not null).Select(p => p.Phone!).Distinct().ToList();
        // Tracked: matched members are updated in place when the file is good.
        var candidates = await db.Members
            .Where(m => branchIds.Contains(m.OrganisationId) || (m.Phone != null && phones.Contains(m.Phone)))
            .ToListAsync(ct);
        var byPhone = candidates.Where(m => m.Phone is not null).ToLookup(m => m.Phone!);

        var plan = new List<(ParsedRow Row, Member? Match)>();
        var claimed = new HashSet<int>();
        foreach (var p in parsed.OrderBy(p => p.Row))
        {
            if (problems.Any(x => x.Row == p.Row)) continue;
            Member? match = null;
            if (p.Phone is not null && byPhone[p.Phone].FirstOrDefault() is { } owner)
            {
                var ownerOrg = organisations.Single(o => o.Id == owner.OrganisationId);
                if (!scope.Contains(ownerOrg))
                {
                    problems.Add(new ImportProblem(p.Row, "手机号已登记在您管理范围以外的党员名下"));
                    continue;
                }
                if (owner.OrganisationId != p.Branch.Id)
                {
                    problems.Add(new ImportProblem(p.Row, $"手机号已登记在“{ownerOrg.Name}”的党员{owner.Name}名下；调整支部请用组织关系转接"));
                    continue;
                }
                match = owner;
            }
            else
            {
                var sameName = candidates.Where(m => m.OrganisationId == p.Branch.Id && m.Name == p.Name && !claimed.Contains(m.Id)).ToList();
                var eligible = p.Phone is null ? sameName : sameName.Where(m => m.Phone is null).ToList();
                if (eligible.Count > 1)
                {
                    problems.Add(new ImportProblem(p.Row, $"“{p.Branch.Name}”有 {eligible.Count} 名党员叫{p.Name}，请填写手机号以区分"));
                    continue;
                }
                match = eligible.SingleOrDefault();
            }
            if (match is not null) claimed.Add(match.Id);
            plan.Add((p, match));
        }

        if (problems.Count > 0)
            return new ImportResult(false, 0, 0, 0, problems.OrderBy(p => p.Row).ToList());
        return await ApplyAsync(scope, plan, ct);
    }

    private async Task<ImportResult> ApplyAsync(OrganisationScope scope, List<(ParsedRow Row, Member? Match)> plan, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        int created = 0, updated = 0, unchanged = 0;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var newMembers = new List<(Member Member, ParsedRow Row)>();
        foreach (var (row, match) in plan)
        {
            if (match is null)
            {
                var member = new Member
                {
                    OrganisationId = row.Branch.Id, Name = row.Name, Phone = row.Phone, Status = row.Status ?? MemberStatus.Full,
                    IsMobile = row.Mobile ?? false, BusinessName = row.Business, CreatedAt = now,
                };
                db.Members.Add(member);
                newMembers.Add((member, row));
                created++;
                continue;
            }
            var before = Snapshot(match, row.Branch.Name);
            match.Name = row.Name;
            if (row.Phone is not null) match.Phone = row.Phone;
            if (row.Status is { } s) match.Status = s;
            if (row.Mobile is { } mobile) match.IsMobile = mobile;
            if (row.Business is not null) match.BusinessName = row.Business;
            if (db.Entry(match).State == EntityState.Unchanged)
            {
                unchanged++;
                continue;
            }
            audit.RecordAs(scope.Actor, "member.update", nameof(Member), match.Id, row.Branch.Path, before, Snapshot(match, row.Branch.Name));
            updated++;
        }
        await db.SaveChangesAsync(ct);
        foreach (var (member, row) in newMembers)
            audit.RecordAs(scope.Actor, "member.create", nameof(Member), member.Id, row.Branch.Path, null, Snapshot(member, row.Branch.Name));
        if (created + updated > 0)
            audit.RecordAs(scope.Actor, "member.import", nameof(Member), null, scope.Root.Value, null, new { Created = created, Updated = updated, Unchanged = unchanged });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return new ImportResult(true, created, updated, unchanged, []);
    }

    private static object Snapshot(Member m, string branch) => new
    {
        m.Name, Phone = PhoneMask.Mask(m.Phone), Status = LedgerLabels.Status(m.Status), m.IsMobile, m.BusinessName, Organisation = branch,
    };

    private static (List<(int Row, Dictionary<string, string> Cells)> Records, ImportProblem? Problem) Read(string text)
    {
        var records = new List<(int, Dictionary<string, string>)>();
        using var reader = new StringReader(text);
        using var csv = new CsvReader(reader, MemberCsv.Configuration);
        if (!csv.Read() || !csv.ReadHeader() || csv.HeaderRecord is not { Length: > 0 } header)
            return (records, new ImportProblem(1, "没有表头行。第一行应为列名：" + string.Join("，", MemberCsv.Columns)));

        var columns = header.Select(h => h.Trim().TrimStart('\uFEFF')).Select(h => MemberCsv.Aliases.GetValueOrDefault(h, h)).ToArray();
        var missing = new[] { MemberCsv.Name, MemberCsv.Branch }.Where(c => !columns.Contains(c)).ToList();
        if (missing.Count > 0)
            return (records, new ImportProblem(1, $"表头缺少列：{string.Join("，", missing)}。第一行应为列名：{string.Join("，", MemberCsv.Columns)}"));
        var unknown = columns.Where(c => c.Length > 0 && !MemberCsv.Columns.Contains(c)).ToList();
        if (unknown.Count > 0)
            return (records, new ImportProblem(1, $"表头有无法识别的列：{string.Join("，", unknown)}。可用的列：{string.Join("，", MemberCsv.Columns)}"));
        var repeated = columns.Where(c => c.Length > 0).GroupBy(c => c).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (repeated.Count > 0)
            return (records, new ImportProblem(1, $"表头中这些列出现了不止一次：{string.Join("，", repeated)}"));

        while (csv.Read())
        {
            var cells = new Dictionary<string, string>();
            for (var i = 0; i < columns.Length; i++)
                if (columns[i].Length > 0) cells[columns[i]] = csv.TryGetField<string>(i, out var v) ? v ?? "" : "";
            // A row of empty cells (a spreadsheet's trailing ",,,,,") is not a member.
            if (cells.Values.All(string.IsNullOrWhiteSpace)) continue;
            records.Add((csv.Parser.Row, cells));
            if (records.Count > MemberCsv.MaxRows)
                return (records, new ImportProblem(csv.Parser.Row, $"一次最多导入 {MemberCsv.MaxRows} 行，请分批导入。"));
        }
        if (records.Count == 0) return (records, new ImportProblem(2, "文件只有表头，没有党员数据。"));
        return (records, null);
    }
}
