using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace ChatBot.Host.Api.Pages;

/// <summary>
/// /admin/api-docs: the reference of <c>/api/v1</c> rendered on the server from the generated OpenAPI document
/// (operations by tag: method, path, summary, parameters, request/response schemas, status codes, security schemes).
/// No script, no web fonts, nothing from outside the origin, so it works under the console's strict CSP.
/// </summary>
public sealed class DocsModel(IServiceProvider services) : PageModel
{
    public OpenApiDocument Document { get; private set; } = null!;
    public IReadOnlyList<(string Tag, IReadOnlyList<Operation> Operations)> Groups { get; private set; } = [];

    public sealed record Operation(string Method, string Path, OpenApiOperation Op, IReadOnlyList<IOpenApiParameter> Parameters);

    public async Task OnGetAsync(CancellationToken ct)
    {
        var provider = services.GetRequiredKeyedService<IOpenApiDocumentProvider>(ApiDocs.DocumentName);
        Document = await provider.GetOpenApiDocumentAsync(ct);
        var ops = new List<(string Tag, Operation Op)>();
        foreach (var (path, item) in Document.Paths ?? [])
        {
            foreach (var (method, op) in item.Operations ?? [])
            {
                var parameters = (item.Parameters ?? []).Concat(op.Parameters ?? []).ToList();
                var tag = op.Tags?.FirstOrDefault()?.Name ?? "其他";
                ops.Add((tag, new Operation(method.Method.ToUpperInvariant(), path, op, parameters)));
            }
        }
        Groups = ops.GroupBy(o => o.Tag).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (g.Key, (IReadOnlyList<Operation>)g.Select(o => o.Op).OrderBy(o => o.Path, StringComparer.Ordinal).ThenBy(o => MethodOrder(o.Method)).ToList()))
            .ToList();
    }

    private static int MethodOrder(string m) => m switch { "GET" => 0, "POST" => 1, "PUT" => 2, "PATCH" => 3, "DELETE" => 4, _ => 5 };

    public static string Anchor(Operation o) => "op-" + o.Method.ToLowerInvariant() + "-" + new string(o.Path.Select(c => char.IsLetterOrDigit(c) ? c : '-').ToArray());

    /// <summary>A one-line type: <c>ref name</c>, <c>array of T</c>, <c>string (date-time)</c>, <c>a | b</c>.</summary>
    public static string TypeName(IOpenApiSchema? schema, int depth = 0)
    {
        if (schema is null) return "";
        if (schema is OpenApiSchemaReference r && r.Reference?.Id is { } id) return id;
        if (depth > 4) return "…";
        if (schema.OneOf is { Count: > 0 }) return string.Join(" | ", schema.OneOf.Select(s => TypeName(s, depth + 1)));
        if (schema.AnyOf is { Count: > 0 }) return string.Join(" | ", schema.AnyOf.Select(s => TypeName(s, depth + 1)));
        if (schema.AllOf is { Count: > 0 }) return string.Join(" & ", schema.AllOf.Select(s => TypeName(s, depth + 1)));
        var type = schema.Type;
        var nullable = type is { } t0 && t0.HasFlag(JsonSchemaType.Null);
        var name = type is null ? (schema.Properties is { Count: > 0 } ? "object" : "any")
            : string.Join(" | ", Enum.GetValues<JsonSchemaType>().Where(f => f != JsonSchemaType.Null && type.Value.HasFlag(f)).Select(f => f.ToString().ToLowerInvariant()));
        if (type is { } t && t.HasFlag(JsonSchemaType.Array)) name = "array of " + TypeName(schema.Items, depth + 1);
        if (!string.IsNullOrEmpty(schema.Format)) name += $" ({schema.Format})";
        if (schema.Enum is { Count: > 0 }) name += " ∈ {" + string.Join(", ", schema.Enum.Select(e => e?.ToJsonString())) + "}";
        if (string.IsNullOrEmpty(name)) name = "null";
        return nullable ? name + " | null" : name;
    }

    /// <summary>The schema's properties after following a reference (for the schema tables).</summary>
    public static IEnumerable<(string Name, IOpenApiSchema Schema, bool Required)> Properties(IOpenApiSchema? schema)
    {
        if (schema?.Properties is not { Count: > 0 } props) return [];
        return props.Select(p => (p.Key, p.Value, schema.Required?.Contains(p.Key) == true));
    }

    public IEnumerable<(string Name, IOpenApiSchema Schema)> Schemas =>
        (Document.Components?.Schemas ?? new Dictionary<string, IOpenApiSchema>()).OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => (s.Key, s.Value));
}
