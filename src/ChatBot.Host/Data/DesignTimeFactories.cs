using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace ChatBot.Host.Data;

/// <summary>Lets <c>dotnet ef migrations add ... --context SqliteChatBotDbContext</c> build the model without the host.</summary>
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteChatBotDbContext>
{
    public SqliteChatBotDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteChatBotDbContext>().UseSqlite("Data Source=design-time.db").Options);
}

/// <summary>Generating migrations never connects, so a placeholder connection string is enough.</summary>
internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresChatBotDbContext>
{
    public PostgresChatBotDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresChatBotDbContext>().UseNpgsql("Host=localhost;Database=chatbot_design;Username=design").Options);
}
