using System.Text.Json;
using ChatBot.Core.Domain;
using ChatBot.Host.Admin;
using ChatBot.Host.Api;
using ChatBot.Host.Data;
using ChatBot.Host.Ledger;
using Hangfire;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace ChatBot.Host.Members;

public sealed record MemberCreateRequest(int OrganisationId, string Name, string? Phone, MemberStatus Status, bool IsMobile, string? BusinessName);

public sealed record MemberUpdateRequest(string Name, string? Phone, MemberStatus Status, bool IsMobile, string? BusinessName);

public sealed record MemberImportAccepted(Guid Id, string Status, string StatusUrl);

public sealed record MemberImportStatus(Guid Id, MemberImportState State, DateTime CreatedAt, DateTime? FinishedAt,
    bool? Applied, int? Created, int? Updated, int? Unchanged, IReadOnlyList<ImportProblem>? Problems);

public sealed record BindingCodeIssueRequest(int? MemberId, int? OrganisationId, int? ValidDays);

public sealed record BindingCodeIssued(int Id, int MemberId, string Code, DateTime ExpiresAt);

/// <summary>
/// <c>/api/v1/members</c> (paged list with filters, get, create, update), <c>/api/v1/member-imports</c> (CSV import
/// as a background job with a status URL) and <c>/api/v1/binding-codes</c> (issue, list), within the caller's scope.
/// </summary>
public static class MembersApi
{
    public static RouteGroupBuilder MapMembersApi(this RouteGroupBuilder api)
    {
        var members = api.MapGroup("/members").WithTags("Members");
        members.MapGet("", ListAsync);
        members.MapGet("/{id:int}", async Task<Results<Ok<MemberRow>, ProblemHttpResult>> (int id, OrganisationScope scope, MemberLedgerService ledger, CancellationToken ct) =>
            await ledger.GetAsync(scope, id, ct) is { } row ? TypedResults.Ok(row) : ApiProblems.NotFound("no member with this id"));
        members.MapPost("", CreateAsync);
        members.MapPut("/{id:int}", UpdateAsync);

        var imports = api.MapGroup("/member-imports").WithTags("Members");
        // No Accepts metadata: it would make routing answer 415 before authorization answers 401.
        imports.MapPost("", ImportAsync).WithIdempotencyKey()
            .WithDescription("The request body is the CSV file itself (Content-Type: text/csv, at most 2 MB, the console's columns). Answers 202 with the status URL in Location.");
        imports.MapGet("/{id:guid}", ImportStatusAsync);

        var codes = api.MapGroup("/binding-codes").WithTags("BindingCodes");
        codes.MapGet("", ListCodesAsync);
        codes.MapPost("", IssueCodesAsync).WithIdempotencyKey();
        return api;
    }

    private static async Task<Results<Ok<PagedResult<MemberRow>>, ValidationProblem>> ListAsync(
        int? page, int? pageSize, string? search, int? organisationId, MemberStatus? status, bool? mobile, bool? bound, bool? includeArchived,
        OrganisationScope scope, MemberLedgerService ledger, CancellationToken ct)
    {
        if (!Paging.TryCreate(page, pageSize, out var paging, out var errors)) return ApiProblems.Validation(errors);
        var filter = new MemberFilter
        {
            Search = search, OrganisationId = organisationId, Status = status, Mobile = mobile, Bound = bound, IncludeArchived = includeArchived ?? false,
        };
        var (rows, total) = await ledger.PageAsync(scope, filter, paging.Skip, paging.PageSize, ct);
        return TypedResults.Ok(new PagedResult<MemberRow>(rows, total, paging.Page, paging.PageSize));
    }

    private static async Task<Results<Created<MemberRow>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        MemberCreateRequest body, OrganisationScope scope, MemberLedgerService ledger, CancellationToken ct)
    {
        var input = new MemberInput { Name = body.Name, Phone = body.Phone, Status = body.Status, IsMobile = body.IsMobile, BusinessName = body.BusinessName };
        if (Validate(input) is { } invalid) return invalid;
        try
        {
            var member = await ledger.CreateAsync(scope, body.OrganisationId, input, ct);
            if (member is null) return ApiProblems.Validation("organisationId", $"支部 {body.OrganisationId} 不存在、不在您的管理范围内或是党委。");
            var row = await ledger.GetAsync(scope, member.Id, ct);
            return TypedResults.Created($"{ApiV1.Prefix}/members/{member.Id}", row);
        }
        catch (LedgerRuleException ex)
        {
            return ApiProblems.Conflict(ex.Message);
        }
    }

    private static async Task<Results<Ok<MemberRow>, ValidationProblem, ProblemHttpResult>> UpdateAsync(
        int id, MemberUpdateRequest body, OrganisationScope scope, MemberLedgerService ledger, CancellationToken ct)
    {
        var input = new MemberInput { Name = body.Name, Phone = body.Phone, Status = body.Status, IsMobile = body.IsMobile, BusinessName = body.BusinessName };
        if (Validate(input, maskedPhoneAllowed: !scope.IsSuperAdmin) is { } invalid) return invalid;
        try
        {
            var member = await ledger.UpdateAsync(scope, id, input, ct);
            if (member is null) return ApiProblems.NotFound("no member with this id");
            return TypedResults.Ok((await ledger.GetAsync(scope, id, ct))!);
        }
        catch (LedgerRuleException ex)
        {
            return ApiProblems.Conflict(ex.Message);
        }
    }

    /// <summary>The ledger's rules, checked first so each 400 names its field.</summary>
    private static ValidationProblem? Validate(MemberInput input, bool maskedPhoneAllowed = false)
    {
        var errors = new Dictionary<string, string[]>();
        var name = (input.Name ?? "").Trim();
        if (name.Length == 0) errors["name"] = ["name is required"];
        else if (name.Length > 50) errors["name"] = ["name is at most 50 characters"];
        var phone = MemberLedgerService.NormalisePhone(input.Phone);
        if (phone is not null && !MemberLedgerService.IsValidPhone(phone) && !(maskedPhoneAllowed && phone.Contains('*', StringComparison.Ordinal)))
            errors["phone"] = ["phone is 11 digits starting with 1"];
        if (!Enum.IsDefined(input.Status)) errors["status"] = ["status is Full, Probationary or Activist"];
        if (input.BusinessName?.Trim().Length > 200) errors["businessName"] = ["businessName is at most 200 characters"];
        return errors.Count == 0 ? null : ApiProblems.Validation(errors);
    }

    /// <summary>
    /// The request body is the CSV file itself (<c>Content-Type: text/csv</c>, the console's columns, at most 2 MB).
    /// Answers 202 with the job's status URL; the import runs in the background, all or nothing.
    /// </summary>
    private static async Task<Results<Accepted<MemberImportAccepted>, ValidationProblem>> ImportAsync(
        HttpRequest request, OrganisationScope scope, ChatBotDbContext db, AuditLog audit, IBackgroundJobClient jobs, TimeProvider time, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        if (request.Body.CanSeek) request.Body.Position = 0;
        await request.Body.CopyToAsync(buffer, ct);
        if (buffer.Length == 0) return ApiProblems.Validation("body", "the request body is the CSV file; it is empty");
        if (buffer.Length > MemberCsv.MaxBytes) return ApiProblems.Validation("body", "the CSV file is larger than 2 MB; import it in parts");
        var job = new MemberImportJob
        {
            Id = Guid.NewGuid(), Actor = scope.Actor, Role = scope.Role, OrganisationId = scope.OrganisationId, OrganisationPath = scope.Root.Value,
            State = MemberImportState.Queued, Content = buffer.ToArray(), CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        db.MemberImportJobs.Add(job);
        audit.Record("member-import.queue", nameof(MemberImportJob), job.Id, scope.Root, after: new { Bytes = job.Content.Length });
        await db.SaveChangesAsync(ct);
        jobs.Enqueue<MemberImportRunner>(r => r.RunAsync(job.Id, CancellationToken.None));
        var url = $"{ApiV1.Prefix}/member-imports/{job.Id}";
        return TypedResults.Accepted(url, new MemberImportAccepted(job.Id, job.State.ToString(), url));
    }

    private static async Task<Results<Ok<MemberImportStatus>, ProblemHttpResult>> ImportStatusAsync(Guid id, OrganisationScope scope, ChatBotDbContext db, CancellationToken ct)
    {
        var job = await db.MemberImportJobs.AsNoTracking().Where(j => j.Id == id)
            .Select(j => new { j.Id, j.State, j.CreatedAt, j.FinishedAt, j.ResultJson, j.OrganisationPath }).SingleOrDefaultAsync(ct);
        // A job started from outside the caller's subtree is not theirs to read.
        if (job is null || !scope.Contains(OrganisationPath.Parse(job.OrganisationPath))) return ApiProblems.NotFound("no member import with this id");
        var result = job.ResultJson is null ? null : JsonSerializer.Deserialize<ImportResult>(job.ResultJson);
        return TypedResults.Ok(new MemberImportStatus(job.Id, job.State, job.CreatedAt, job.FinishedAt,
            result?.Applied, result?.Created, result?.Updated, result?.Unchanged, result?.Problems));
    }

    private static async Task<Results<Ok<PagedResult<BindingCodeRow>>, ValidationProblem>> ListCodesAsync(
        int? page, int? pageSize, int? organisationId, int? memberId, bool? usableOnly, OrganisationScope scope, BindingCodeService codes, CancellationToken ct)
    {
        if (!Paging.TryCreate(page, pageSize, out var paging, out var errors)) return ApiProblems.Validation(errors);
        var all = await codes.ListAsync(scope, organisationId, memberId, usableOnly ?? false, ct);
        return TypedResults.Ok(new PagedResult<BindingCodeRow>(all.Skip(paging.Skip).Take(paging.PageSize).ToList(), all.Count, paging.Page, paging.PageSize));
    }

    /// <summary>A code for one member (<c>memberId</c>) or for every unbound member of a branch subtree (<c>organisationId</c>).</summary>
    private static async Task<Results<Created<IReadOnlyList<BindingCodeIssued>>, ValidationProblem, ProblemHttpResult>> IssueCodesAsync(
        BindingCodeIssueRequest body, OrganisationScope scope, BindingCodeService codes, CancellationToken ct)
    {
        if ((body.MemberId is null) == (body.OrganisationId is null))
            return ApiProblems.Validation("memberId", "give exactly one of memberId or organisationId");
        var days = body.ValidDays ?? BindingCodeService.DefaultValidDays;
        if (days is < 1 or > BindingCodeService.MaxValidDays)
            return ApiProblems.Validation("validDays", $"validDays is between 1 and {BindingCodeService.MaxValidDays}");
        IReadOnlyList<BindingCode>? issued = body.MemberId is { } memberId
            ? await codes.IssueForMemberAsync(scope, memberId, days, ct) is { } one ? [one] : null
            : await codes.IssueForBranchAsync(scope, body.OrganisationId!.Value, days, ct);
        if (issued is null) return ApiProblems.NotFound(body.MemberId is not null ? "no member with this id" : "no organisation with this id");
        IReadOnlyList<BindingCodeIssued> result = issued.Select(c => new BindingCodeIssued(c.Id, c.MemberId, c.Code, c.ExpiresAt)).ToList();
        return TypedResults.Created($"{ApiV1.Prefix}/binding-codes", result);
    }
}

/// <summary>Runs a queued <see cref="MemberImportJob"/> with the scope of the caller who sent it (Hangfire job).</summary>
public sealed class MemberImportRunner(ChatBotDbContext db, MemberCsvImporter importer, TimeProvider time)
{
    public async Task RunAsync(Guid jobId, CancellationToken ct)
    {
        var job = await db.MemberImportJobs.SingleOrDefaultAsync(j => j.Id == jobId, ct);
        if (job is null || job.State is MemberImportState.Succeeded or MemberImportState.Failed) return;
        job.State = MemberImportState.Running;
        await db.SaveChangesAsync(ct);
        var scope = new OrganisationScope(job.Actor, job.Role, job.OrganisationId, OrganisationPath.Parse(job.OrganisationPath));
        ImportResult result;
        try
        {
            result = await importer.ImportAsync(scope, job.Content, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            db.ChangeTracker.Clear();
            job = await db.MemberImportJobs.SingleAsync(j => j.Id == jobId, ct);
            result = ImportResult.Refused(new ImportProblem(0, "导入失败（服务器错误），请稍后重试。"));
        }
        job.State = result.Applied ? MemberImportState.Succeeded : MemberImportState.Failed;
        job.ResultJson = JsonSerializer.Serialize(result);
        job.FinishedAt = time.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
    }
}
