using ChatBot.Host.Admin;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace ChatBot.Host.Api;

/// <summary>
/// The OpenAPI document of <c>/api/v1</c> at <c>/openapi/v1.json</c> (Microsoft.AspNetCore.OpenApi: request and
/// response types, the problem responses every endpoint can give, the bearer / X-Api-Key security schemes, the
/// <c>Idempotency-Key</c> header where it applies) and the reference page <c>/admin/api-docs</c> for signed-in console
/// users, rendered on the server from this document (<c>Api/Pages/Docs.cshtml</c>): no script, no web fonts, no CDN.
/// </summary>
public static class ApiDocs
{
    public const string DocumentName = "v1";
    public const string DocumentPath = "/openapi/v1.json";
    public const string BearerScheme = "bearer";
    public const string ApiKeyHeaderScheme = "apiKeyHeader";

    public static WebApplicationBuilder AddChatBotApiDocs(this WebApplicationBuilder builder)
    {
        builder.Services.AddOpenApi(DocumentName, o =>
        {
            o.ShouldInclude = d => d.RelativePath?.StartsWith("api/v1", StringComparison.Ordinal) == true;
            o.AddDocumentTransformer((document, context, ct) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "ChatBot API",
                    Version = "v1",
                    Description = "党建聊天机器人 JSON API. Authenticate with `Authorization: Bearer <key>` (or `X-Api-Key`); " +
                        "errors are RFC 9457 problem details; lists page with `page`/`pageSize` (max 200) and return `total`. See docs/API.md.",
                };
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http, Scheme = "bearer", Description = "An API key created in 账号 → API 密钥 or with `apikey create`.",
                };
                document.Components.SecuritySchemes[ApiKeyHeaderScheme] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.ApiKey, In = ParameterLocation.Header, Name = AdminApiGuard.ApiKeyHeader, Description = "The same key as a header.",
                };
                document.Security ??= [];
                document.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, document)] = [] });
                document.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiKeyHeaderScheme, document)] = [] });
                return Task.CompletedTask;
            });
            o.AddOperationTransformer((operation, context, ct) =>
            {
                if (!context.Description.ActionDescriptor.EndpointMetadata.OfType<IdempotentEndpointMetadata>().Any()) return Task.CompletedTask;
                operation.Parameters ??= [];
                operation.Parameters.Add(new OpenApiParameter
                {
                    Name = Idempotency.HeaderName, In = ParameterLocation.Header, Required = false,
                    Description = "Same key and same body: the first answer is replayed. Same key, different body: 422. First request still running: 409.",
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = Idempotency.MaxKeyLength },
                });
                operation.Responses ??= new OpenApiResponses();
                operation.Responses.TryAdd("409", new OpenApiResponse { Description = "A request with this Idempotency-Key is still running (problem details)." });
                operation.Responses.TryAdd("422", new OpenApiResponse { Description = "The Idempotency-Key was used for a different request (problem details)." });
                return Task.CompletedTask;
            });
        });
        return builder;
    }

    public static WebApplication MapChatBotApiDocs(this WebApplication app)
    {
        // The document itself describes the API, no data: readable without a key, so tooling can fetch it.
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        return app;
    }
}
