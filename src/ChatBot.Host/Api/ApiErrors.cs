using ChatBot.Core.Domain;

namespace ChatBot.Host.Api;

/// <summary>Maps the domain's refusals onto v1 answers: a <see cref="RuleViolation"/> is a 400 problem detail naming its field.</summary>
public static class ApiErrors
{
    public static IResult Problem(RuleViolation ex) =>
        ex.Field == "scope"
            ? Results.Problem(ex.Message, statusCode: StatusCodes.Status403Forbidden)
            : Results.ValidationProblem(new Dictionary<string, string[]> { [ex.Field] = [ex.Message] });

    /// <summary>Runs the call, answering 400 (field named) for a rule violation.</summary>
    public static async Task<IResult> Guard(Func<Task<IResult>> call)
    {
        try { return await call(); }
        catch (RuleViolation ex) { return Problem(ex); }
    }

    public static IResult? BadPaging(int? page, int? pageSize, out Paging paging) =>
        Paging.TryCreate(page, pageSize, out paging, out var errors) ? null : Results.ValidationProblem(errors);
}
