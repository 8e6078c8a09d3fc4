using Microsoft.Extensions.Options;

namespace ChatBot.Host.Admin;

/// <summary>
/// The first 超级管理员 of a new installation: used once, at a start when the database has no console account yet
/// (e.g. <c>Admin__InitialUser=zhangsan</c>, <c>Admin__InitialPassword=…</c> in the environment). Later starts ignore it;
/// remove the password from the environment after the first sign-in.
/// </summary>
public sealed class AdminOptions
{
    public const string SectionName = "Admin";

    public string InitialUser { get; set; } = "";
    public string InitialPassword { get; set; } = "";
}

internal sealed class AdminOptionsValidator : IValidateOptions<AdminOptions>
{
    public ValidateOptionsResult Validate(string? name, AdminOptions options)
    {
        if (string.IsNullOrEmpty(options.InitialUser))
            return string.IsNullOrEmpty(options.InitialPassword)
                ? ValidateOptionsResult.Success
                : ValidateOptionsResult.Fail($"{AdminOptions.SectionName}:InitialUser is required when {AdminOptions.SectionName}:InitialPassword is set");
        if (AdminAccounts.ValidateUserName(options.InitialUser) is not null)
            return ValidateOptionsResult.Fail($"{AdminOptions.SectionName}:InitialUser must be 2-64 letters, digits or . _ - (was '{options.InitialUser}')");
        if (AdminAccounts.ValidatePassword(options.InitialPassword) is not null)
            return ValidateOptionsResult.Fail($"{AdminOptions.SectionName}:InitialPassword must be {AdminAccounts.MinPasswordLength} to {AdminAccounts.MaxPasswordLength} characters when {AdminOptions.SectionName}:InitialUser is set");
        return ValidateOptionsResult.Success;
    }
}

/// <summary>Creates <c>Admin:InitialUser</c> after the database is migrated and seeded, if there is no console account at all.</summary>
internal sealed class InitialAdminCreator(IServiceScopeFactory scopes, IOptions<AdminOptions> options, ILogger<InitialAdminCreator> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var admin = options.Value;
        if (string.IsNullOrEmpty(admin.InitialUser)) return;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Data.ChatBotDbContext>();
        if (await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.AnyAsync(db.AdminUsers, cancellationToken))
        {
            logger.LogInformation("{Key} ignored: console accounts exist already", $"{AdminOptions.SectionName}:InitialUser");
            return;
        }
        var result = await scope.ServiceProvider.GetRequiredService<AdminAccounts>()
            .CreateAsync("startup", admin.InitialUser, null, Core.Domain.AdminRole.Admin, null, admin.InitialPassword, cancellationToken);
        if (result.Succeeded)
            logger.LogWarning("Created the first 超级管理员 {UserName} from {Key}; sign in at /admin and remove {PasswordKey} from the environment",
                admin.InitialUser, $"{AdminOptions.SectionName}:InitialUser", $"{AdminOptions.SectionName}:InitialPassword");
        else
            logger.LogError("Could not create {Key} {UserName}: {Error}", $"{AdminOptions.SectionName}:InitialUser", admin.InitialUser, result.Error);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
