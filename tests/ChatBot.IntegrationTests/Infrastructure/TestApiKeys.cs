using ChatBot.Core.Domain;
using ChatBot.Host.Admin;
using ChatBot.Host.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ChatBot.IntegrationTests.Infrastructure;

/// <summary>Creates real API keys in a test host's database, through the same service the console and CLI use.</summary>
public static class TestApiKeys
{
    /// <summary>
    /// A key with <paramref name="role"/> for <paramref name="organisationId"/> (the root organisation when null; a
    /// 测试党委 is created when the database has none yet). Returns the secret to send.
    /// </summary>
    public static async Task<string> CreateAsync(IServiceProvider services, AdminRole role = AdminRole.Admin, int? organisationId = null, string name = "test")
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ChatBotDbContext>();
        if (organisationId is null && !await db.Organisations.AnyAsync())
        {
            var committee = new Organisation { Name = "测试党委", Kind = OrganisationKind.Committee, CreatedAt = DateTime.UtcNow };
            db.Organisations.Add(committee);
            await db.SaveChangesAsync();
            committee.Path = OrganisationPath.Root.Child(committee.Id).Value;
            await db.SaveChangesAsync();
        }
        var result = await scope.ServiceProvider.GetRequiredService<ApiKeyService>().CreateAsync(null, name, organisationId, role, CancellationToken.None);
        return result.Succeeded ? result.Created!.Secret : throw new InvalidOperationException("test API key not created: " + result.Error);
    }
}
