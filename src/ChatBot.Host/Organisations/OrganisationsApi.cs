using ChatBot.Host.Admin;
using ChatBot.Host.Api;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ChatBot.Host.Organisations;

/// <summary>A node of the organisation tree with its children (the caller's visible forest).</summary>
public sealed record OrganisationTreeNode(int Id, int? ParentId, string Name, ChatBot.Core.Domain.OrganisationKind Kind, string Path, int MemberCount,
    IReadOnlyList<OrganisationTreeNode> Children);

/// <summary><c>/api/v1/organisations</c>: the tree, a paged flat list and one organisation, within the caller's scope.</summary>
public static class OrganisationsApi
{
    public static RouteGroupBuilder MapOrganisationsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/organisations").WithTags("Organisations");
        group.MapGet("/tree", async (OrganisationScope scope, OrganisationTreeService tree, CancellationToken ct) =>
        {
            var nodes = await tree.ListAsync(scope, ct);
            var ids = nodes.Select(n => n.Id).ToHashSet();
            var children = nodes.ToLookup(n => n.ParentId);
            OrganisationTreeNode Build(OrganisationNode n) =>
                new(n.Id, n.ParentId, n.Name, n.Kind, n.Path, n.MemberCount, children[n.Id].Select(Build).ToList());
            IReadOnlyList<OrganisationTreeNode> roots = nodes.Where(n => n.ParentId is null || !ids.Contains(n.ParentId.Value)).Select(Build).ToList();
            return TypedResults.Ok(roots);
        });
        group.MapGet("", async Task<Results<Ok<PagedResult<OrganisationNode>>, ValidationProblem>> (int? page, int? pageSize, OrganisationScope scope, OrganisationTreeService tree, CancellationToken ct) =>
        {
            if (!Paging.TryCreate(page, pageSize, out var paging, out var errors)) return ApiProblems.Validation(errors);
            var nodes = await tree.ListAsync(scope, ct);
            return TypedResults.Ok(new PagedResult<OrganisationNode>(nodes.Skip(paging.Skip).Take(paging.PageSize).ToList(), nodes.Count, paging.Page, paging.PageSize));
        });
        group.MapGet("/{id:int}", async Task<Results<Ok<OrganisationNode>, ProblemHttpResult>> (int id, OrganisationScope scope, OrganisationTreeService tree, CancellationToken ct) =>
            (await tree.ListAsync(scope, ct)).FirstOrDefault(n => n.Id == id) is { } node ? TypedResults.Ok(node) : ApiProblems.NotFound("no organisation with this id"));
        return api;
    }
}
